mod account;
mod addresses;
mod login;
mod signup;

pub use account::AccountPage;
pub use addresses::AddressesPage;
pub use login::LoginPage;
pub use signup::SignupPage;
