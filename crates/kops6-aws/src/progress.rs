//! Progress lines on stderr: `[3/32] creating Subnet/us-east-1a.example.com`.

use std::sync::atomic::{AtomicUsize, Ordering};

use kops6_model::Key;

pub struct Progress {
    done: AtomicUsize,
    total: usize,
    on: bool,
}

impl Progress {
    pub fn new(total: usize, on: bool) -> Self {
        Self {
            done: AtomicUsize::new(0),
            total,
            on,
        }
    }

    pub fn step(&self, verb: &str, key: &Key) {
        let n = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        if self.on {
            eprintln!("[{n}/{}] {verb} {key}", self.total);
        }
    }

    pub fn note(&self, text: &str) {
        if self.on {
            eprintln!("      {text}");
        }
    }
}
