//! kubeconfig files: the discovery kubeconfig workers join with, admin kubeconfigs for
//! `export kubeconfig`, and merging into an existing file as kubectl does (same-named entries
//! are replaced, others kept untouched, the current context switched).

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::facts::{ApiEndpoint, API_PORT};
use crate::BootstrapError;

/// A single-cluster, single-user kubeconfig.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kubeconfig {
    /// Cluster, user and context are all called this (kOps names them after the cluster).
    pub name: String,
    pub server: String,
    pub ca_pem: String,
    pub user: Credentials,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Credentials {
    Token(String),
    ClientCertificate { cert_pem: String, key_pem: String },
}

/// `https://NAME:443`.
pub fn server_url(api: &ApiEndpoint) -> String {
    format!("https://{}:{API_PORT}", api.name)
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
}

impl Kubeconfig {
    /// The kubeconfig document (as JSON, which is also YAML).
    pub fn to_value(&self) -> Value {
        let user = match &self.user {
            Credentials::Token(t) => json!({ "token": t }),
            Credentials::ClientCertificate { cert_pem, key_pem } => json!({
                "client-certificate-data": b64(cert_pem),
                "client-key-data": b64(key_pem),
            }),
        };
        json!({
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{ "name": self.name, "cluster": {
                "certificate-authority-data": b64(&self.ca_pem),
                "server": self.server,
            }}],
            "contexts": [{ "name": self.name, "context": { "cluster": self.name, "user": self.name } }],
            "current-context": self.name,
            "preferences": {},
            "users": [{ "name": self.name, "user": user }],
        })
    }

    pub fn to_yaml(&self) -> Result<String, BootstrapError> {
        crate::to_yaml("kubeconfig", &self.to_value())
    }
}

/// Merges `new` into `existing` (a parsed kubeconfig, or `None` for no file): entries with the
/// same name are replaced, the rest kept as they were, and the current context becomes `new`'s.
pub fn merge(existing: Option<Value>, new: &Kubeconfig) -> Result<Value, BootstrapError> {
    let mut out = match existing {
        None | Some(Value::Null) => return Ok(new.to_value()),
        Some(v @ Value::Object(_)) => v,
        Some(_) => {
            return Err(BootstrapError::Input {
                what: "kubeconfig".into(),
                message: "is not a YAML mapping".into(),
            })
        }
    };
    let add = new.to_value();
    for list in ["clusters", "contexts", "users"] {
        let entries = out
            .as_object_mut()
            .map(|o| o.entry(list).or_insert_with(|| json!([])))
            .filter(|v| v.is_array() || v.is_null());
        let Some(entries) = entries else {
            return Err(BootstrapError::Input {
                what: "kubeconfig".into(),
                message: format!("{list} is not a list"),
            });
        };
        if entries.is_null() {
            *entries = json!([]);
        }
        let arr = entries.as_array_mut().expect("made a list above");
        for item in add[list].as_array().into_iter().flatten() {
            let name = &item["name"];
            match arr.iter_mut().find(|e| &e["name"] == name) {
                Some(slot) => *slot = item.clone(),
                None => arr.push(item.clone()),
            }
        }
    }
    out["current-context"] = add["current-context"].clone();
    for (k, v) in [("apiVersion", "v1"), ("kind", "Config")] {
        if out.get(k).is_none() {
            out[k] = json!(v);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin(name: &str) -> Kubeconfig {
        Kubeconfig {
            name: name.into(),
            server: format!("https://api.{name}:443"),
            ca_pem: "CA".into(),
            user: Credentials::ClientCertificate {
                cert_pem: "CERT".into(),
                key_pem: "KEY".into(),
            },
        }
    }

    #[test]
    fn merge_into_nothing_is_the_new_kubeconfig() {
        assert_eq!(
            merge(None, &admin("a.example")).unwrap(),
            admin("a.example").to_value()
        );
    }

    #[test]
    fn merge_replaces_same_named_entries_keeps_others_and_switches_context() {
        let mut existing = admin("a.example").to_value();
        existing["users"][0]["user"] = json!({"exec": {"command": "aws"}});
        existing["clusters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "other", "cluster": {"server": "https://other"}}));
        let merged = merge(Some(existing), &admin("b.example")).unwrap();
        let names = |l: &str| -> Vec<String> {
            merged[l]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["name"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(names("clusters"), ["a.example", "other", "b.example"]);
        assert_eq!(names("users"), ["a.example", "b.example"]);
        assert_eq!(merged["users"][0]["user"]["exec"]["command"], "aws");
        assert_eq!(merged["current-context"], "b.example");
        let again = merge(Some(merged.clone()), &admin("b.example")).unwrap();
        assert_eq!(
            again, merged,
            "merging the same kubeconfig twice changes nothing"
        );
    }

    #[test]
    fn merge_refuses_a_kubeconfig_whose_lists_are_not_lists() {
        let err = merge(Some(json!({"clusters": "x"})), &admin("a")).unwrap_err();
        assert_eq!(err.to_string(), "kubeconfig: clusters is not a list");
    }
}
