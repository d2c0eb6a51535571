use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::{python, repo_root};

/// A running `moto_server` on 127.0.0.1. Stopped (by PID) when dropped.
pub struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    /// Starts a fresh server on a free loopback port; panics with moto's own output if it
    /// does not come up within 60 s.
    pub fn start() -> Moto {
        let launcher = repo_root().join("testsupport/moto/kops6_moto.py");
        let mut child = Command::new(python())
            .arg(&launcher)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", launcher.display()));
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
            // Keep draining so the server never blocks on a full pipe.
            for _ in lines {}
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Some(port)) => {
                // Drain stderr too: a server blocked on a full pipe would look like a hang.
                if let Some(mut err) = child.stderr.take() {
                    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
                }
                Moto { child, port }
            }
            _ => {
                let _ = child.kill();
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                panic!("moto did not start:\n{err}");
            }
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the server now (by PID) and waits for it to exit, so its port refuses
    /// connections: a proxy in front of it then answers 502. Stopping twice is harmless.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.stop();
    }
}
