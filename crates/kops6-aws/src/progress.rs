//! Progress of an apply or delete, reported through a [`ProgressSink`] carried in
//! [`ApplyOptions`]: the CLI draws a bar on a terminal; the default writes plain lines on
//! stderr (`[3/32] creating Subnet/us-east-1a.example.com`).

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use kops6_model::Key;

use crate::options::ApplyOptions;

/// Where progress goes. Steps run concurrently, so every method takes `&self` and may be called
/// from several tasks at once.
pub trait ProgressSink: Send + Sync {
    /// The run has `total` steps (creates, updates and deletes).
    fn start(&self, total: usize);
    /// One step begins (`creating`, `updating (cidr)`, `deleting`).
    fn step(&self, verb: &str, key: &Key);
    /// Something worth saying that is not a step (a VPC's allocated IPv6 block).
    fn note(&self, text: &str);
    /// The run is over (done or failed).
    fn finish(&self);
}

/// A sink to share between the options and the run.
#[derive(Clone)]
pub struct Sink(pub Arc<dyn ProgressSink>);

impl fmt::Debug for Sink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sink(..)")
    }
}

impl Sink {
    pub fn new(sink: impl ProgressSink + 'static) -> Self {
        Self(Arc::new(sink))
    }
}

/// The default: one plain line per step on stderr, as a log would want it.
#[derive(Default)]
pub struct Lines {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Lines {
    /// `[n/total] verb key` for the next step.
    pub fn line(&self, verb: &str, key: &Key) -> String {
        let n = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        format!("[{n}/{}] {verb} {key}", self.total.load(Ordering::SeqCst))
    }
}

impl ProgressSink for Lines {
    fn start(&self, total: usize) {
        self.done.store(0, Ordering::SeqCst);
        self.total.store(total, Ordering::SeqCst);
    }

    fn step(&self, verb: &str, key: &Key) {
        eprintln!("{}", self.line(verb, key));
    }

    fn note(&self, text: &str) {
        eprintln!("      {text}");
    }

    fn finish(&self) {}
}

/// One run's progress: the sink the options chose (none when `progress` is off), started on
/// creation and finished when dropped, so a failed run finishes its bar too.
pub struct Progress {
    sink: Option<Arc<dyn ProgressSink>>,
}

impl Progress {
    pub fn new(total: usize, opts: &ApplyOptions) -> Self {
        let sink = opts.progress.then(|| match &opts.sink {
            Some(Sink(s)) => s.clone(),
            None => Arc::new(Lines::default()) as Arc<dyn ProgressSink>,
        });
        if let Some(s) = &sink {
            s.start(total);
        }
        Self { sink }
    }

    pub fn step(&self, verb: &str, key: &Key) {
        if let Some(s) = &self.sink {
            s.step(verb, key);
        }
    }

    pub fn note(&self, text: &str) {
        if let Some(s) = &self.sink {
            s.note(text);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(s) = &self.sink {
            s.finish();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use kops6_model::Kind;

    use super::*;

    #[derive(Default)]
    struct Record(Mutex<Vec<String>>);

    impl ProgressSink for Record {
        fn start(&self, total: usize) {
            self.0.lock().unwrap().push(format!("start {total}"));
        }
        fn step(&self, verb: &str, key: &Key) {
            self.0.lock().unwrap().push(format!("{verb} {key}"));
        }
        fn note(&self, text: &str) {
            self.0.lock().unwrap().push(format!("note {text}"));
        }
        fn finish(&self) {
            self.0.lock().unwrap().push("finish".into());
        }
    }

    #[test]
    fn a_run_starts_steps_and_finishes_its_sink() {
        let record = Arc::new(Record::default());
        let opts = ApplyOptions {
            sink: Some(Sink(record.clone())),
            ..ApplyOptions::default()
        };
        {
            let p = Progress::new(2, &opts);
            p.step("creating", &Key::new(Kind::Vpc, "c"));
            p.note("a note");
        }
        assert_eq!(
            *record.0.lock().unwrap(),
            ["start 2", "creating Vpc/c", "note a note", "finish"]
        );
    }

    #[test]
    fn progress_off_reaches_no_sink() {
        let record = Arc::new(Record::default());
        let opts = ApplyOptions {
            progress: false,
            sink: Some(Sink(record.clone())),
            ..ApplyOptions::default()
        };
        Progress::new(1, &opts).step("creating", &Key::new(Kind::Vpc, "c"));
        assert!(record.0.lock().unwrap().is_empty());
    }

    #[test]
    fn plain_lines_count_steps() {
        let lines = Lines::default();
        lines.start(2);
        let key = Key::new(Kind::Vpc, "c");
        assert_eq!(lines.line("creating", &key), "[1/2] creating Vpc/c");
        assert_eq!(lines.line("deleting", &key), "[2/2] deleting Vpc/c");
    }
}
