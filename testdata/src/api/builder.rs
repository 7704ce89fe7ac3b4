//! Per-field overrides of generated builders (`User::builder().age(30).build(seed)`).

use std::fmt;

use crate::Gen;

/// How a builder produces one field instead of its derived generator: a fixed value or a
/// generator of its own, called with the field's stream (so other fields keep their values).
pub struct Override<T>(Box<dyn Fn(&mut Gen) -> T + Send + Sync>);

impl<T> Override<T> {
    /// A generator of the field's values, drawing from the field's own stream.
    pub fn with(f: impl Fn(&mut Gen) -> T + Send + Sync + 'static) -> Override<T> {
        Override(Box::new(f))
    }

    /// The field's value for the stream `g`.
    #[inline]
    pub fn produce(&self, g: &mut Gen) -> T {
        (self.0)(g)
    }
}

impl<T: Clone + Send + Sync + 'static> Override<T> {
    /// The same value for every record.
    pub fn value(v: T) -> Override<T> {
        Override(Box::new(move |_| v.clone()))
    }
}

/// The identity conversion of builders' setters: a setter takes the field's type `T` and
/// carries its `Clone` bound on a type parameter `V` with `T: Same<V>` (so `V` is `T`), which
/// makes the bound checked where the setter is called. A struct with a field that is not
/// `Clone` still derives (its other setters and `with_<field>` work).
#[doc(hidden)]
pub trait Same<T> {
    /// `self`, as a `T`.
    fn same(self) -> T;
}

impl<T> Same<T> for T {
    #[inline]
    fn same(self) -> T {
        self
    }
}

impl<T> fmt::Debug for Override<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Override(..)")
    }
}
