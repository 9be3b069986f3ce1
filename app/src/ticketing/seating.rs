//! "Best available": N seats side by side in one row, without leaving a single seat alone
//! between taken ones (nobody buys it, so the show would play to an empty seat).

use super::SeatId;

/// A free seat, in the venue's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreeSeat {
    pub id: SeatId,
    pub section: String,
    pub row: String,
    pub number: i32,
}

/// Picks `count` seats from `free` (sorted by section, row and number; the best rows first).
/// In order of preference:
/// 1. adjacent seats in one row that leave no lone seat on either side;
/// 2. adjacent seats in one row;
/// 3. the first free seats, in the venue's order.
///
/// `None` if fewer than `count` seats are free.
pub fn best_available(free: &[FreeSeat], count: usize) -> Option<Vec<SeatId>> {
    if count == 0 || free.len() < count {
        return None;
    }
    let runs = runs(free);
    // A run is free seats numbered one after another in one row; its ends touch a taken
    // seat or the row's end, so a gap of one left inside it is a lone seat.
    let clean = runs.iter().find_map(|run| {
        let len = run.len();
        if len < count {
            return None;
        }
        // From the left end, then the right end, then anywhere that leaves two or more.
        let fits = |left: usize| {
            let right = len - count - left;
            left != 1 && right != 1
        };
        (0..=len - count)
            .find(|&left| fits(left))
            .map(|left| run[left..left + count].iter().map(|s| s.id).collect())
    });
    clean
        .or_else(|| {
            runs.iter()
                .find(|r| r.len() >= count)
                .map(|run| run[..count].iter().map(|s| s.id).collect())
        })
        .or_else(|| Some(free[..count].iter().map(|s| s.id).collect()))
}

fn runs(free: &[FreeSeat]) -> Vec<&[FreeSeat]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=free.len() {
        let breaks = i == free.len() || {
            let (a, b) = (&free[i - 1], &free[i]);
            a.section != b.section || a.row != b.row || b.number != a.number + 1
        };
        if breaks {
            runs.push(&free[start..i]);
            start = i;
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row from a picture: `.` free, `x` taken; seat ids are row * 100 + number.
    fn rows(picture: &[&str]) -> Vec<FreeSeat> {
        let mut free = Vec::new();
        for (r, line) in picture.iter().enumerate() {
            for (n, c) in line.chars().enumerate() {
                if c == '.' {
                    let number = n as i32 + 1;
                    free.push(FreeSeat {
                        id: SeatId((r as i64 + 1) * 100 + number as i64),
                        section: "A".into(),
                        row: (r + 1).to_string(),
                        number,
                    });
                }
            }
        }
        free
    }

    fn ids(v: &[i64]) -> Vec<SeatId> {
        v.iter().map(|&i| SeatId(i)).collect()
    }

    #[test]
    fn takes_the_first_row_from_its_end() {
        let free = rows(&["......", "......"]);
        assert_eq!(best_available(&free, 2), Some(ids(&[101, 102])));
    }

    #[test]
    fn never_leaves_a_lone_seat_when_it_can_avoid_it() {
        // Row 1: a run of three. Two from either end leave one alone; skip to row 2.
        let free = rows(&["x...x", "....."]);
        assert_eq!(best_available(&free, 2), Some(ids(&[201, 202])));
        // A run of four: two from the left end leave two, which is fine.
        let free = rows(&["x....x"]);
        assert_eq!(best_available(&free, 2), Some(ids(&[102, 103])));
        // A run of five, three seats: from the left end leaves two.
        let free = rows(&["x.....x"]);
        assert_eq!(best_available(&free, 3), Some(ids(&[102, 103, 104])));
        // Exactly fitting a gap is always clean.
        let free = rows(&["x..x.."]);
        assert_eq!(best_available(&free, 2), Some(ids(&[102, 103])));
    }

    #[test]
    fn every_pick_of_the_clean_rule_leaves_no_lone_seat() {
        // Exhaustive over rows of 8 seats: whenever some clean window exists, the pick is clean.
        for mask in 0u32..256 {
            let line: String = (0..8)
                .map(|i| if mask & (1 << i) == 0 { '.' } else { 'x' })
                .collect();
            let free = rows(&[&line]);
            for count in 1..=4 {
                let Some(pick) = best_available(&free, count) else {
                    continue;
                };
                let taken = |n: i32| {
                    !(1..=8).contains(&n)
                        || line.as_bytes()[(n - 1) as usize] == b'x'
                        || pick.contains(&SeatId(100 + n as i64))
                };
                let lone = (1..=8).any(|n| !taken(n) && taken(n - 1) && taken(n + 1));
                let lone_before = (1..=8).any(|n| {
                    let was =
                        |n: i32| !(1..=8).contains(&n) || line.as_bytes()[(n - 1) as usize] == b'x';
                    !was(n) && was(n - 1) && was(n + 1)
                });
                let avoidable = runs(&free).iter().any(|r| {
                    r.len() >= count
                        && (0..=r.len() - count).any(|l| l != 1 && r.len() - count - l != 1)
                });
                if avoidable && !lone_before {
                    assert!(!lone, "{line} x{count} left a lone seat: {pick:?}");
                }
            }
        }
    }

    #[test]
    fn falls_back_to_adjacent_then_to_any() {
        // Only a run of three for two seats: a lone seat cannot be avoided.
        let free = rows(&["x...x"]);
        assert_eq!(best_available(&free, 2), Some(ids(&[102, 103])));
        // No row has three together: the first free seats.
        let free = rows(&["..x", "x.."]);
        assert_eq!(best_available(&free, 3), Some(ids(&[101, 102, 202])));
        assert_eq!(best_available(&free, 5), None);
    }
}
