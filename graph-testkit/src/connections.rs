//! The open connections and the limits that keep one hostile client from starving the others:
//! a cap on open connections that makes room by closing the connection idle the longest (so
//! thousands of idle sockets cannot lock others out, and memory stays bounded by the cap).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

/// Every open connection: whether it is serving a request and when it last did anything.
#[derive(Debug, Default)]
pub struct Connections {
    table: Mutex<Table>,
}

#[derive(Debug, Default)]
struct Table {
    next_id: u64,
    /// A logical clock: the order of activity, not time (so paused test clocks don't matter).
    tick: u64,
    open: BTreeMap<u64, Entry>,
    evicted: u64,
}

#[derive(Debug)]
struct Entry {
    busy: usize,
    last_active: u64,
    close: Arc<Notify>,
}

/// An admitted connection: its id, and the signal that tells its task to close it.
#[derive(Debug)]
pub struct Admitted {
    pub id: u64,
    pub close: Arc<Notify>,
}

impl Connections {
    /// The table; a panic elsewhere never leaves it half-updated, so keep serving.
    fn table(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Admits a new connection. At `max` open connections it first closes the one idle the
    /// longest; when every one is busy serving a request, the new one is refused (`None`).
    pub fn admit(&self, max: usize) -> Option<Admitted> {
        let mut table = self.table();
        if table.open.len() >= max {
            let idlest = table
                .open
                .iter()
                .filter(|(_, entry)| entry.busy == 0)
                .min_by_key(|(_, entry)| entry.last_active)
                .map(|(id, _)| *id)?;
            if let Some(entry) = table.open.remove(&idlest) {
                // notify_one stores a permit: the task closes even if not yet waiting.
                entry.close.notify_one();
                table.evicted += 1;
            }
        }
        table.next_id += 1;
        table.tick += 1;
        let (id, tick) = (table.next_id, table.tick);
        let close = Arc::new(Notify::new());
        table.open.insert(
            id,
            Entry {
                busy: 0,
                last_active: tick,
                close: Arc::clone(&close),
            },
        );
        Some(Admitted { id, close })
    }

    /// Marks a request started on a connection; the guard marks it finished.
    pub fn busy(self: &Arc<Self>, id: u64) -> Busy {
        self.touch(id, 1);
        Busy {
            connections: Arc::clone(self),
            id,
        }
    }

    fn touch(&self, id: u64, busy: isize) {
        let mut table = self.table();
        table.tick += 1;
        let tick = table.tick;
        if let Some(entry) = table.open.get_mut(&id) {
            entry.busy = entry.busy.saturating_add_signed(busy);
            entry.last_active = tick;
        }
    }

    /// Forgets a connection that closed.
    pub fn closed(&self, id: u64) {
        self.table().open.remove(&id);
    }

    /// How many connections are open.
    pub fn open(&self) -> usize {
        self.table().open.len()
    }

    /// How many idle connections were closed to make room.
    pub fn evicted(&self) -> u64 {
        self.table().evicted
    }
}

/// A request in progress on a connection.
#[derive(Debug)]
pub struct Busy {
    connections: Arc<Connections>,
    id: u64,
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.connections.touch(self.id, -1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_cap_the_longest_idle_connection_makes_room() {
        let connections = Arc::new(Connections::default());
        let first = connections.admit(2).unwrap();
        let second = connections.admit(2).unwrap();
        // The first is serving a request, so the second is the idlest.
        let busy = connections.busy(first.id);
        let third = connections.admit(2).unwrap();
        assert_eq!(connections.open(), 2);
        assert_eq!(connections.evicted(), 1);
        // The second was told to close; its permit is stored for its task.
        let told = second.close.notified();
        tokio_test_block_on(told);
        drop(busy);
        // Now the first finished after the third arrived: the third is the idlest.
        let _fourth = connections.admit(2).unwrap();
        tokio_test_block_on(third.close.notified());
        assert_eq!(connections.evicted(), 2);
    }

    #[test]
    fn when_all_are_busy_new_connections_are_refused() {
        let connections = Arc::new(Connections::default());
        let only = connections.admit(1).unwrap();
        let _busy = connections.busy(only.id);
        assert!(connections.admit(1).is_none());
        connections.closed(only.id);
        assert!(connections.admit(1).is_some());
    }

    fn tokio_test_block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }
}
