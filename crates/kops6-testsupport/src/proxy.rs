//! [`Proxy`]: `testsupport/moto/proxy.py` in front of a moto endpoint. It records every AWS
//! call (one JSON line each) and can answer a seeded share of them with EC2-style throttling
//! (`RequestLimitExceeded`, 503) or `InternalError` (500/503) instead of forwarding them, so
//! tests can check retry handling and which mutating calls a run makes.
//!
//! ```ignore
//! let moto = Moto::start();
//! let proxy = Proxy::start(&moto.endpoint(), 0.3, 42); // point the SDK at proxy.endpoint()
//! // ... run kops6 ...
//! assert_eq!(proxy.stats()["injected"], 0);
//! proxy.reset();
//! // ... run it again ...
//! assert!(proxy.mutating_calls().is_empty());
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use crate::{python, repo_root};

/// A running fault-injecting proxy on 127.0.0.1. Killed (by PID) when dropped.
pub struct Proxy {
    child: Child,
    port: u16,
    /// The JSON-lines call log, inside `_dir`.
    log: PathBuf,
    _dir: tempfile::TempDir,
    /// Byte offset in the log where the last [`Proxy::reset`] happened.
    log_start: AtomicU64,
}

impl Proxy {
    /// Starts a proxy to `target_endpoint` (must be `http://<loopback IP>:<port>`) that fails
    /// each call with probability `fault_rate`, decided by a PRNG seeded with `seed`.
    pub fn start(target_endpoint: &str, fault_rate: f64, seed: u64) -> Proxy {
        Self::start_for_actions(target_endpoint, fault_rate, seed, &[])
    }

    /// Like [`Proxy::start`], but only the given actions (e.g. `"CreateVpc"`, `"s3:PUT"`) may
    /// fail; an empty list means every action may.
    pub fn start_for_actions(
        target_endpoint: &str,
        fault_rate: f64,
        seed: u64,
        actions: &[&str],
    ) -> Proxy {
        Self::spawn(target_endpoint, fault_rate, seed, actions, Duration::ZERO)
    }

    /// Like [`Proxy::start`], but every proxied request is answered `delay` later, like a round
    /// trip to a real AWS region (moto itself answers in a few milliseconds). Requests in
    /// flight at once are delayed concurrently, so parallel clients gain from parallelism as
    /// they would against AWS.
    pub fn start_with_delay(
        target_endpoint: &str,
        fault_rate: f64,
        seed: u64,
        delay: Duration,
    ) -> Proxy {
        Self::spawn(target_endpoint, fault_rate, seed, &[], delay)
    }

    fn spawn(
        target_endpoint: &str,
        fault_rate: f64,
        seed: u64,
        actions: &[&str],
        delay: Duration,
    ) -> Proxy {
        assert!(
            (0.0..=1.0).contains(&fault_rate),
            "fault rate {fault_rate} is not in 0..1"
        );
        let dir = tempfile::tempdir().expect("temp dir for the proxy log");
        let log = dir.path().join("calls.jsonl");
        let script = repo_root().join("testsupport/moto/proxy.py");
        let mut child = Command::new(python())
            .arg(&script)
            .args(["--target", target_endpoint, "--port", "0"])
            .args([
                "--fault-rate",
                &fault_rate.to_string(),
                "--seed",
                &seed.to_string(),
            ])
            .args(["--fault-actions", &actions.join(",")])
            .args(["--delay-ms", &(delay.as_secs_f64() * 1000.0).to_string()])
            .arg("--log")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", script.display()));

        // Read `PORT=<n>` off stdout on a thread, so the wait can time out.
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref().map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("PORT=") {
                    let _ = tx.send(port.trim().parse::<u16>().ok());
                    break;
                }
            }
            for _ in lines {} // keep draining
        });
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(Some(port)) => {
                // From here on nobody reads stderr; drain it so the proxy never blocks on it.
                if let Some(mut err) = child.stderr.take() {
                    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
                }
                Proxy {
                    child,
                    port,
                    log,
                    _dir: dir,
                    log_start: AtomicU64::new(0),
                }
            }
            _ => {
                let _ = child.kill();
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                panic!("proxy.py did not start:\n{err}");
            }
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The proxy's process ID (e.g. to read its CPU time in a benchmark).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The endpoint to give the code under test instead of moto's.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The JSON-lines call log (`{"method","path","action","status","injected"}` per call).
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// `{"requests": n, "by_action": {action: n}, "injected": n, "fault_rate": r}` since the
    /// start or the last [`Proxy::reset`].
    pub fn stats(&self) -> serde_json::Value {
        self.control("GET", "/_proxy/stats")
    }

    /// Zeroes the proxy's counters; [`Proxy::calls`] and [`Proxy::mutating_calls`] also start
    /// afresh from here (the log file itself is kept whole).
    pub fn reset(&self) {
        self.control("POST", "/_proxy/reset");
        let len = std::fs::metadata(&self.log).map(|m| m.len()).unwrap_or(0);
        self.log_start.store(len, Ordering::SeqCst);
    }

    /// Changes the fault rate of the running proxy.
    pub fn set_fault_rate(&self, rate: f64) {
        assert!(
            (0.0..=1.0).contains(&rate),
            "fault rate {rate} is not in 0..1"
        );
        self.control("POST", &format!("/_proxy/faults?rate={rate}"));
    }

    /// Changes the fault rate of the running proxy and the actions it applies to (empty: all).
    pub fn set_faults(&self, rate: f64, actions: &[&str]) {
        assert!(
            (0.0..=1.0).contains(&rate),
            "fault rate {rate} is not in 0..1"
        );
        self.control(
            "POST",
            &format!("/_proxy/faults?rate={rate}&actions={}", actions.join(",")),
        );
    }

    /// Every logged call since the start or the last [`Proxy::reset`], in order (injected
    /// faults included).
    pub fn calls(&self) -> Vec<serde_json::Value> {
        let text = std::fs::read(&self.log).unwrap_or_default();
        let start = (self.log_start.load(Ordering::SeqCst) as usize).min(text.len());
        String::from_utf8_lossy(&text[start..])
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("proxy log lines are JSON"))
            .collect()
    }

    /// The actions that reached moto and may change something: everything except
    /// `Describe*`/`Get*`/`List*`, `s3:GET` and `s3:HEAD`. Calls the proxy failed on purpose
    /// are left out (they never reached moto), so the list does not depend on the fault rate
    /// as long as the client's retries got through.
    pub fn mutating_calls(&self) -> Vec<String> {
        self.calls()
            .iter()
            .filter(|c| c["injected"] != true)
            .filter_map(|c| c["action"].as_str())
            .filter(|a| {
                !["Describe", "Get", "List"].iter().any(|p| a.starts_with(p))
                    && !matches!(*a, "s3:GET" | "s3:HEAD")
            })
            .map(str::to_owned)
            .collect()
    }

    /// One control request over a fresh connection; panics unless the answer is 200 + JSON.
    fn control(&self, method: &str, path: &str) -> serde_json::Value {
        let mut conn =
            TcpStream::connect(("127.0.0.1", self.port)).expect("proxy accepts connections");
        conn.set_read_timeout(Some(Duration::from_secs(30)))
            .expect("set timeout");
        write!(
            conn,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .expect("write control request");
        let mut answer = String::new();
        conn.read_to_string(&mut answer)
            .expect("read control answer");
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "proxy {method} {path} failed:\n{answer}"
        );
        serde_json::from_str(body).unwrap_or_else(|e| panic!("proxy {method} {path}: {e}:\n{body}"))
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
