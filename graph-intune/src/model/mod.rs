//! The device-compliance types of Graph v1.0: 20 entity types, the complex types and 7 enums.

mod complex;
mod enums;
mod family;
mod ids;
mod platforms;
mod policy;
mod supporting;

pub use complex::*;
pub use enums::*;
pub use family::*;
pub use ids::*;
pub use platforms::*;
pub use policy::*;
pub use supporting::*;
