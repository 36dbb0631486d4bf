//! Locking a `std` mutex whose data stays whole across a panic elsewhere (plain values, never
//! half-written): the poison is ignored rather than turned into a panic of ours.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// The guard of `mutex`, poisoned or not.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
