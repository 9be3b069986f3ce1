//! Stored codes (statuses, kinds) as enums. Each one reads and writes as its text column, and
//! a value the code does not know fails the read: guessing would change what the row means.

/// An unknown stored or submitted code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub value: String,
}

/// Declares an enum whose variants are stored as the given text, with `as_str`, `parse`,
/// `TryFrom<String>`, `Display`, serde as that text, and (server side) `sqlx::Type` for a
/// Postgres text column that refuses unknown values.
#[macro_export]
macro_rules! code_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::platform::code::UnknownCode;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s).ok_or($crate::platform::code::UnknownCode {
                    kind: stringify!($name),
                    value: s,
                })
            }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> Self {
                v.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}

        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }
            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::postgres::PgHasArrayType for $name {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.as_str(), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(
                value: sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let s = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                Self::parse(s).ok_or_else(|| {
                    Box::new($crate::platform::code::UnknownCode {
                        kind: stringify!($name),
                        value: s.to_owned(),
                    }) as sqlx::error::BoxDynError
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::code_enum! {
        enum Light { Red = "red", Green = "green" }
    }

    #[test]
    fn round_trips_and_refuses_unknown_text() {
        for l in Light::ALL {
            assert_eq!(Light::parse(l.as_str()), Some(*l));
        }
        assert_eq!(serde_json::to_string(&Light::Green).unwrap(), "\"green\"");
        assert_eq!(
            serde_json::from_str::<Light>("\"red\"").unwrap(),
            Light::Red
        );
        let err = serde_json::from_str::<Light>("\"blue\"").unwrap_err();
        assert!(err.to_string().contains("unknown Light \"blue\""), "{err}");
        assert!(Light::try_from("Red".to_owned()).is_err());
    }

    /// A row holding a code this build does not know must fail to decode,
    /// never turn into some default variant.
    #[cfg(feature = "ssr")]
    #[sqlx::test]
    async fn postgres_decode_refuses_unknown_text(db: sqlx::PgPool) {
        let ok: Light = sqlx::query_scalar("SELECT 'green'::text")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(ok, Light::Green);
        let err = sqlx::query_scalar::<_, Light>("SELECT 'blue'::text")
            .fetch_one(&db)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("unknown Light"), "{err}");
        let back: String = sqlx::query_scalar("SELECT $1::text")
            .bind(Light::Red)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(back, "red");
    }
}
