//! A config key's form, parsed into a registered key and a value of its kind.

use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {
    crate::platform::error::{FieldError, Problems},
    crate::platform::i18n::Msg,
};

/// One key's form on `/admin/configs`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ConfigForm {
    #[serde(default)]
    pub key: String,
    /// As typed; a checkbox sends nothing when unticked.
    #[serde(default)]
    pub value: Option<String>,
    /// Why, for the change history (optional).
    #[serde(default)]
    pub reason: String,
}

pub const MAX_REASON: usize = 500;

/// A config change, parsed: a registered key and a value of its kind.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct ConfigChange {
    pub def: &'static crate::platform::config::ConfigDef,
    pub value: serde_json::Value,
    pub reason: Option<String>,
}

#[cfg(feature = "ssr")]
impl TryFrom<&ConfigForm> for ConfigChange {
    type Error = crate::admin::AdminError;

    fn try_from(f: &ConfigForm) -> Result<Self, Self::Error> {
        let def =
            crate::platform::config::find(&f.key).ok_or(crate::admin::AdminError::NotFound)?;
        let mut problems = Problems::default();
        let value = problems.check(def.kind.from_input(f.value.as_deref().unwrap_or_default()));
        let reason = f.reason.trim();
        if reason.chars().count() > MAX_REASON {
            problems.add(FieldError::new("reason", Msg::ErrTooLong));
        }
        problems
            .finish(|| {
                Some(Self {
                    def,
                    value: value?,
                    reason: (!reason.is_empty()).then(|| reason.to_owned()),
                })
            })
            .map_err(crate::admin::AdminError::Invalid)
    }
}
