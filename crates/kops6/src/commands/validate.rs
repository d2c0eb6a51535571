//! `validate cluster NAME [--wait DURATION] [-o table|json|yaml]`: asks AWS for the cluster's
//! autoscaling groups and the cluster's API for nodes and kube-system pods (with the
//! kubeconfig context named after the cluster), and lets kops6-validate decide. Exits 1 until
//! the cluster is valid.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use base64::Engine;
use serde_json::Value;
use ureq::tls::{Certificate, ClientCert, PrivateKey, RootCerts, TlsConfig};

use crate::cli::{ValidateArgs, ValidateClusterArgs, ValidateFormat, ValidateWhat};
use crate::commands::export::target_file;
use crate::store;

/// kOps polls this often while waiting.
const POLL: Duration = Duration::from_secs(10);

pub fn run(state: Option<&str>, args: ValidateArgs) -> Result<()> {
    match args.what {
        ValidateWhat::Cluster(a) => cluster(state, a),
    }
}

/// What the kubeconfig says about one context.
struct Api {
    server: String,
    agent: ureq::Agent,
    token: Option<String>,
}

fn data(entry: &Value, field: &str) -> Result<Option<Vec<u8>>> {
    entry[field]
        .as_str()
        .map(|s| base64::engine::general_purpose::STANDARD.decode(s.trim()))
        .transpose()
        .with_context(|| format!("{field} is not base64"))
}

fn api_from_kubeconfig(kubeconfig: &Value, context: &str) -> Result<Api> {
    let find = |list: &str, name: &str| -> Result<Value> {
        kubeconfig[list]
            .as_array()
            .and_then(|l| l.iter().find(|e| e["name"] == name))
            .cloned()
            .ok_or_else(|| anyhow!("the kubeconfig has no {list} entry {name:?} (kops6 export kubeconfig {context} --admin)"))
    };
    let ctx = find("contexts", context)?;
    let cluster = find(
        "clusters",
        ctx["context"]["cluster"].as_str().unwrap_or_default(),
    )?;
    let user = find("users", ctx["context"]["user"].as_str().unwrap_or_default())?;
    let server = cluster["cluster"]["server"]
        .as_str()
        .ok_or_else(|| anyhow!("cluster {context:?} in the kubeconfig has no server"))?
        .trim_end_matches('/')
        .to_string();
    let mut tls = TlsConfig::builder();
    if let Some(ca) = data(&cluster["cluster"], "certificate-authority-data")? {
        let ca = Certificate::from_pem(&ca)
            .context("certificate-authority-data")?
            .to_owned();
        tls = tls.root_certs(RootCerts::Specific(Arc::new(vec![ca])));
    }
    let u = &user["user"];
    if let (Some(cert), Some(key)) = (
        data(u, "client-certificate-data")?,
        data(u, "client-key-data")?,
    ) {
        let cert = Certificate::from_pem(&cert)
            .context("client-certificate-data")?
            .to_owned();
        let key = PrivateKey::from_pem(&key)
            .context("client-key-data")?
            .to_owned();
        tls = tls.client_cert(Some(ClientCert::new_with_certs(&[cert], key)));
    }
    let agent = ureq::Agent::config_builder()
        .tls_config(tls.build())
        .timeout_global(Some(Duration::from_secs(15)))
        .http_status_as_error(false)
        .build()
        .into();
    Ok(Api {
        server,
        agent,
        token: u["token"].as_str().map(Into::into),
    })
}

impl Api {
    fn get(&self, path: &str) -> Result<Vec<u8>> {
        let url = format!("{}{path}", self.server);
        let mut req = self.agent.get(&url);
        if let Some(t) = &self.token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let mut resp = req
            .call()
            .with_context(|| format!("cannot reach the cluster's API at {}", self.server))?;
        let status = resp.status();
        let body = resp
            .body_mut()
            .read_to_vec()
            .with_context(|| format!("reading {url}"))?;
        if !status.is_success() {
            bail!(
                "the API answered {status} to GET {path}: {}",
                String::from_utf8_lossy(&body).trim()
            );
        }
        Ok(body)
    }
}

fn check(
    completed: &kops6_api::complete::Completed,
    api: &Api,
    aws: &CloudGroups,
) -> Result<kops6_validate::Report> {
    let groups = aws.groups(&completed.cluster.metadata.name)?;
    let nodes = kops6_validate::parse_nodes(&api.get("/api/v1/nodes")?)?;
    let pods = kops6_validate::parse_pods(&api.get("/api/v1/namespaces/kube-system/pods")?)?;
    Ok(kops6_validate::validate(
        completed,
        groups.as_deref(),
        &nodes,
        &pods,
    ))
}

/// Where the instance groups' autoscaling groups are read: AWS, in the region of the cluster.
#[cfg(feature = "aws")]
struct CloudGroups {
    runtime: tokio::runtime::Runtime,
    aws: kops6_aws::Aws,
}

#[cfg(feature = "aws")]
impl CloudGroups {
    fn connect(completed: &kops6_api::complete::Completed) -> Result<Self> {
        let region = completed
            .cluster
            .spec
            .subnets
            .first()
            .and_then(|s| kops6_api::new_cluster::region_of(&s.zone).ok())
            .map(str::to_string);
        let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
        let aws = runtime.block_on(kops6_aws::Aws::connect(region.as_deref()));
        Ok(Self { runtime, aws })
    }

    /// Each group's autoscaling group, by the instance group it runs.
    fn groups(&self, cluster: &str) -> Result<Option<Vec<kops6_validate::GroupInstances>>> {
        let found = self
            .runtime
            .block_on(kops6_aws::queries::autoscaling_groups(&self.aws, cluster))?;
        let suffix = format!(".{cluster}");
        Ok(Some(
            found
                .into_iter()
                .map(|g| kops6_validate::GroupInstances {
                    group: g.instance_group.clone().unwrap_or_else(|| {
                        g.name.strip_suffix(&suffix).unwrap_or(&g.name).to_string()
                    }),
                    min_size: g.min_size,
                    max_size: g.max_size,
                    instances: g.in_service,
                })
                .collect(),
        ))
    }
}

/// Without AWS support the instance groups are not compared with AWS; the API still is.
#[cfg(not(feature = "aws"))]
struct CloudGroups;

#[cfg(not(feature = "aws"))]
impl CloudGroups {
    fn connect(_completed: &kops6_api::complete::Completed) -> Result<Self> {
        eprintln!(
            "This build has no AWS support: instance groups are not compared with their \
             autoscaling groups (build with the default features for that)."
        );
        Ok(Self)
    }

    fn groups(&self, _cluster: &str) -> Result<Option<Vec<kops6_validate::GroupInstances>>> {
        Ok(None)
    }
}

fn cluster(state: Option<&str>, args: ValidateClusterArgs) -> Result<()> {
    let store = store::open(state)?;
    let set = store::load(store.as_ref(), &args.name)?;
    let completed = super::checked(&set)?;
    let file = target_file(args.kubeconfig)?;
    let text =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let kubeconfig: Value = serde_saphyr::from_str(&text)
        .with_context(|| format!("{} is not a kubeconfig", file.display()))?;
    let api = api_from_kubeconfig(&kubeconfig, set.name())?;
    let aws = CloudGroups::connect(&completed)?;
    let deadline = args.wait.map(|w| Instant::now() + *w.as_ref());
    loop {
        let outcome = check(&completed, &api, &aws);
        let last_chance = deadline.is_none_or(|d| Instant::now() + POLL > d);
        match outcome {
            Ok(report) if report.is_valid() || last_chance => {
                print!(
                    "{}",
                    match args.output {
                        ValidateFormat::Table => kops6_validate::render_table(&report),
                        ValidateFormat::Json => kops6_validate::render_json(&report),
                        ValidateFormat::Yaml => kops6_validate::render_yaml(&report),
                    }
                );
                if report.is_valid() {
                    return Ok(());
                }
                bail!(
                    "cluster {} is not valid ({} problems)",
                    set.name(),
                    report.failures.len()
                );
            }
            Err(e) if last_chance => return Err(e),
            Ok(report) => eprintln!(
                "cluster {} is not yet valid ({} problems); checking again in {}s",
                set.name(),
                report.failures.len(),
                POLL.as_secs()
            ),
            Err(e) => eprintln!("{e:#}; checking again in {}s", POLL.as_secs()),
        }
        std::thread::sleep(POLL);
    }
}
