//! Reading and writing multi-document v1alpha2 YAML (and JSON, which YAML reads too).
//!
//! Each document is read into a plain value first, then into its typed form through
//! `serde_path_to_error`, so that every problem names the field path (`spec.subnets[2].type`)
//! whatever the YAML library's own error looks like.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::types::{Cluster, InstanceGroup, API_VERSION};

/// One v1alpha2 document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Document {
    Cluster(Box<Cluster>),
    InstanceGroup(Box<InstanceGroup>),
}

impl Document {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Cluster(_) => "Cluster",
            Self::InstanceGroup(_) => "InstanceGroup",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Self::Cluster(c) => &c.metadata.name,
            Self::InstanceGroup(ig) => &ig.metadata.name,
        }
    }
}

/// Why a YAML text could not be read as v1alpha2 documents.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("invalid YAML: {0}")]
    Syntax(String),
    #[error("document {} ({}): {path}: {message}", .document + 1, .kind.as_deref().unwrap_or("unknown kind"))]
    Field {
        /// 0-based position in the stream.
        document: usize,
        kind: Option<String>,
        path: String,
        message: String,
    },
}

/// Why documents could not be written.
#[derive(Debug, Error)]
#[error("cannot write {what}: {message}")]
pub struct WriteError {
    what: String,
    message: String,
}

/// Accepted spellings of the API version; the first is what kops6 writes.
const API_VERSIONS: [&str; 2] = [API_VERSION, "kops/v1alpha2"];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TypeMeta {
    api_version: Option<String>,
    kind: Option<String>,
}

/// The most documents one stream may hold: a cluster and its instance groups.
const MAX_DOCUMENTS: usize = 100_000;

/// Reads every document of a YAML (or JSON) stream. Empty documents are skipped; a
/// kubectl-style `List` (what `write_documents` writes for several documents as JSON) stands for
/// its items.
pub fn parse_documents(text: &str) -> Result<Vec<Document>, ParseError> {
    // serde-saphyr's default budget stops at 1024 documents, fewer instance groups than a
    // cluster may have (and kops6 writes); its other limits (nesting depth, aliases) stay.
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! { max_documents: MAX_DOCUMENTS },
    };
    let values: Vec<serde_json::Value> = serde_saphyr::from_multiple_with_options(text, options)
        .map_err(|e| ParseError::Syntax(e.to_string()))?;
    values
        .into_iter()
        .filter(|v| !v.is_null())
        .flat_map(list_items)
        .enumerate()
        .map(|(i, v)| parse_document(i, v))
        .collect()
}

/// The items of a `{apiVersion: v1, kind: List, items: [...]}` document, or the document itself.
fn list_items(value: serde_json::Value) -> Vec<serde_json::Value> {
    let is_list = value.get("apiVersion").and_then(|v| v.as_str()) == Some("v1")
        && value.get("kind").and_then(|v| v.as_str()) == Some("List")
        && value.get("items").is_some_and(|v| v.is_array());
    match value {
        serde_json::Value::Object(mut map) if is_list => match map.remove("items") {
            Some(serde_json::Value::Array(items)) => items,
            _ => Vec::new(),
        },
        other => vec![other],
    }
}

fn parse_document(index: usize, mut value: serde_json::Value) -> Result<Document, ParseError> {
    let field_error = |kind: Option<&str>, path: &str, message: String| ParseError::Field {
        document: index,
        kind: kind.map(str::to_string),
        path: path.to_string(),
        message,
    };
    if !value.is_object() {
        return Err(field_error(
            None,
            "(root)",
            "a document must be a mapping".into(),
        ));
    }
    // Only the two type fields, not a copy of the whole document.
    let type_fields: serde_json::Map<String, serde_json::Value> = ["apiVersion", "kind"]
        .into_iter()
        .filter_map(|k| Some((k.to_string(), value.get(k)?.clone())))
        .collect();
    let meta: TypeMeta = serde_json::from_value(type_fields.into())
        .map_err(|e| field_error(None, "(root)", e.to_string()))?;
    match meta.api_version.as_deref() {
        Some(v) if API_VERSIONS.contains(&v) => {}
        Some(v) => {
            return Err(field_error(
                meta.kind.as_deref(),
                "apiVersion",
                format!("unsupported apiVersion {v:?}: kops6 reads {API_VERSION}"),
            ))
        }
        None => {
            return Err(field_error(
                meta.kind.as_deref(),
                "apiVersion",
                "is required".into(),
            ))
        }
    }
    value["apiVersion"] = API_VERSION.into();
    let typed_error =
        |(path, message): (String, String)| field_error(meta.kind.as_deref(), &path, message);
    match meta.kind.as_deref() {
        Some("Cluster") => typed(value)
            .map(|c| Document::Cluster(Box::new(c)))
            .map_err(typed_error),
        Some("InstanceGroup") => typed(value)
            .map(|g| Document::InstanceGroup(Box::new(g)))
            .map_err(typed_error),
        Some(other) => Err(field_error(
            Some(other),
            "kind",
            format!("unsupported kind {other:?}: expected Cluster or InstanceGroup"),
        )),
        None => Err(field_error(None, "kind", "is required".into())),
    }
}

fn typed<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            "(root)".to_string()
        } else {
            path
        };
        (path, e.into_inner().to_string())
    })
}

/// Output formats for specs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// Writes documents as a YAML stream (`---` between documents), or as JSON (one object, or a
/// kubectl-style `List` for several). Same input, same bytes.
pub fn write_documents(docs: &[Document], format: Format) -> Result<String, WriteError> {
    match format {
        Format::Yaml => {
            let mut out = String::new();
            for (i, doc) in docs.iter().enumerate() {
                if i > 0 {
                    out.push_str("---\n");
                }
                out.push_str(&to_yaml(doc, doc.kind(), doc.name())?);
            }
            Ok(out)
        }
        Format::Json => {
            let value = match docs {
                [one] => serde_json::to_value(one),
                many => serde_json::to_value(JsonList {
                    api_version: "v1",
                    kind: "List",
                    items: many,
                }),
            }
            .map_err(|e| write_error("JSON", &e))?;
            let mut s =
                serde_json::to_string_pretty(&value).map_err(|e| write_error("JSON", &e))?;
            s.push('\n');
            Ok(s)
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonList<'a> {
    api_version: &'static str,
    kind: &'static str,
    items: &'a [Document],
}

fn to_yaml<T: Serialize>(value: &T, kind: &str, name: &str) -> Result<String, WriteError> {
    let options = serde_saphyr::ser_options! { compact_list_indent: true };
    serde_saphyr::to_string_with_options(value, options)
        .map_err(|e| write_error(&format!("{kind} {name:?}"), &e))
}

fn write_error(what: &str, e: &dyn fmt::Display) -> WriteError {
    WriteError {
        what: what.to_string(),
        message: e.to_string(),
    }
}
