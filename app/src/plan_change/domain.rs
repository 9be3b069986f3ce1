//! The Mobile forms. Line numbers, birth dates and plan codes are checked by the service (and
//! KOS) as they are today; these structs carry them there as typed.

use crate::platform::forms::Secret;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Links a line to the account: the number and the holder's birth date (YYMMDD). The birth
/// date proves the line is theirs, so it is treated as a secret: never logged or echoed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkLineForm {
    pub line_number: String,
    pub birth_date: Secret,
}

/// Asks for a plan change. `request_id` is made when the page renders, so a double submit
/// is the same request.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanChangeForm {
    #[serde(default)]
    pub line_number: String,
    #[serde(default)]
    pub target: String,
    pub request_id: Uuid,
}
