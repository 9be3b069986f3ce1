mod account;
mod addresses;
mod login;
mod settings;
mod signup;

pub use account::AccountPage;
pub use addresses::AddressesPage;
pub use login::LoginPage;
pub use settings::{PasswordPage, ProfilePage, WithdrawPage};
pub use signup::SignupPage;
