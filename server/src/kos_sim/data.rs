//! The simulator's fake carrier data. Deterministic: the same lines, customers and plans on
//! every start, so the demo and the tests can name them.

use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub code: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
    /// KRW per month.
    pub monthly_fee: i64,
    /// `None`: unlimited.
    pub data_gb: Option<i32>,
    /// `None`: unlimited.
    pub voice_minutes: Option<i32>,
    /// Whether customers may move to it (closed plans only keep their current subscribers).
    pub changeable: bool,
}

pub fn plans() -> Vec<Plan> {
    let plan = |code, name, name_en, monthly_fee, data_gb, voice_minutes, changeable| Plan {
        code,
        name,
        name_en,
        monthly_fee,
        data_gb,
        voice_minutes,
        changeable,
    };
    vec![
        plan(
            "LTE-SAVE",
            "LTE 세이브",
            "LTE Save",
            33_000,
            Some(2),
            Some(100),
            true,
        ),
        plan(
            "LTE-DATA",
            "LTE 데이터 온",
            "LTE Data On",
            49_000,
            Some(100),
            None,
            true,
        ),
        plan(
            "5G-SLIM",
            "5G 슬림",
            "5G Slim",
            55_000,
            Some(10),
            None,
            true,
        ),
        plan(
            "5G-BASIC",
            "5G 베이직",
            "5G Basic",
            69_000,
            Some(24),
            None,
            true,
        ),
        plan(
            "5G-PREMIUM",
            "5G 프리미엄",
            "5G Premium",
            89_000,
            None,
            None,
            true,
        ),
        plan(
            "5G-SPECIAL",
            "5G 스페셜 (판매 종료)",
            "5G Special (closed)",
            79_000,
            Some(50),
            None,
            false,
        ),
    ]
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub customer_id: String,
    pub line_number: String,
    pub customer_name: String,
    /// YYMMDD, what the shopper types to prove the line is theirs.
    pub birth_date: String,
    pub product_code: String,
    /// ACTIVE, SUSPENDED or TERMINATED.
    pub contract_status: &'static str,
    /// Under a discount contract: KOS refuses moves to a cheaper plan.
    pub contract_locked: bool,
}

/// Number of demo lines: 010-5550-0001 … 010-5550-0012.
pub const LINES: u32 = 12;

const NAMES: [&str; 12] = [
    "김민준",
    "이서연",
    "박도윤",
    "최지우",
    "정하준",
    "강서윤",
    "조시우",
    "윤하은",
    "장예준",
    "임지민",
    "한주원",
    "오수아",
];

pub fn customers() -> Vec<Customer> {
    let plans = plans();
    (1..=LINES)
        .map(|i| {
            let plan = match i {
                // Line 6 is on the closed plan; line 10 (under contract) on the dearest; line
                // 12 on the cheapest.
                6 => "5G-SPECIAL",
                10 => "5G-PREMIUM",
                12 => "LTE-SAVE",
                _ => plans[(i as usize) % 5].code,
            };
            Customer {
                customer_id: format!("C{:08}", 7_300_000 + i),
                line_number: format!("0105550{i:04}"),
                customer_name: NAMES[(i - 1) as usize].to_owned(),
                birth_date: format!("{:02}{:02}{:02}", 80 + i, (i % 12) + 1, 10 + i),
                product_code: plan.to_owned(),
                contract_status: match i {
                    9 => "SUSPENDED",
                    11 => "TERMINATED",
                    _ => "ACTIVE",
                },
                contract_locked: i == 10,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_lines_are_stable() {
        let c = customers();
        assert_eq!(c.len(), 12);
        assert_eq!(c[0].line_number, "01055500001");
        assert_eq!(c[0].birth_date, "810211");
        assert_eq!(c[8].contract_status, "SUSPENDED");
        assert!(c
            .iter()
            .all(|c| plans().iter().any(|p| p.code == c.product_code)));
    }
}
