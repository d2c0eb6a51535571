use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Terraform with the local `hashicorp/aws` provider mirror.
pub struct Terraform {
    binary: PathBuf,
    cli_config: tempfile::NamedTempFile,
}

/// Where provider mirrors are usually kept; searched when `KOPS6_TF_PLUGIN_MIRROR` is unset.
const MIRROR_SEARCH_ROOTS: [&str; 5] = [
    "/opt",
    "/usr/local/share",
    "/usr/share",
    "~/.terraform.d",
    "~/.local/share/terraform",
];

impl Terraform {
    /// Terraform and its provider mirror, or why they are not usable here.
    pub fn find() -> Result<Terraform, String> {
        let binary = which("terraform").ok_or("terraform is not on PATH")?;
        let mirror = match std::env::var_os("KOPS6_TF_PLUGIN_MIRROR") {
            Some(dir) => PathBuf::from(dir),
            None => find_mirror().ok_or(
                "no hashicorp/aws provider mirror found (set KOPS6_TF_PLUGIN_MIRROR to its root)",
            )?,
        };
        let mut cli_config = tempfile::Builder::new()
            .suffix(".tfrc")
            .tempfile()
            .map_err(|e| e.to_string())?;
        let text = format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = {:?}\n    include = [\"registry.terraform.io/hashicorp/aws\"]\n  }}\n}}\n",
            mirror.display().to_string()
        );
        std::io::Write::write_all(&mut cli_config, text.as_bytes()).map_err(|e| e.to_string())?;
        Ok(Terraform { binary, cli_config })
    }

    /// Runs terraform in `dir`; returns its output whatever the exit code.
    pub fn run(&self, dir: &Path, args: &[&str]) -> Output {
        Command::new(&self.binary)
            .args(args)
            .current_dir(dir)
            .env("TF_CLI_CONFIG_FILE", self.cli_config.path())
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env_remove("TF_LOG")
            .output()
            .expect("terraform runs")
    }

    /// Runs terraform and panics with its output unless it exits 0.
    pub fn ok(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.run(dir, args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "terraform {args:?} failed:\n{text}");
        text
    }

    /// A `kubernetes_override.tf` that points the provider at moto with dummy credentials.
    pub fn moto_override(endpoint: &str) -> String {
        let services = ["ec2", "sts", "iam", "s3", "elbv2", "autoscaling", "route53"];
        let endpoints: String = services
            .iter()
            .map(|s| format!("    {s} = {endpoint:?}\n"))
            .collect();
        format!(
            "provider \"aws\" {{\n  access_key                  = \"test\"\n  secret_key                  = \"test\"\n  skip_credentials_validation = true\n  skip_requesting_account_id  = true\n  skip_metadata_api_check     = true\n  skip_region_validation      = true\n  endpoints {{\n{endpoints}  }}\n}}\n"
        )
    }
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Finds `<root>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws*`
/// below the usual places and returns `<root>`.
fn find_mirror() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    MIRROR_SEARCH_ROOTS.iter().find_map(|root| {
        let root = match (root.strip_prefix("~/"), &home) {
            (Some(rest), Some(h)) => h.join(rest),
            (Some(_), None) => return None,
            (None, _) => PathBuf::from(root),
        };
        search(&root, 0)
    })
}

fn search(dir: &Path, depth: usize) -> Option<PathBuf> {
    if depth > 7 {
        return None;
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with("terraform-provider-aws") && path.is_file() {
            // .../registry.terraform.io/hashicorp/aws/<version>/<os_arch>/<binary>
            let root = path.ancestors().nth(6)?;
            let hostname = path.ancestors().nth(5)?.file_name()?;
            if hostname == "registry.terraform.io" {
                return Some(root.to_path_buf());
            }
        } else if path.is_dir() && !e.file_type().ok()?.is_symlink() {
            if let Some(found) = search(&path, depth + 1) {
                return Some(found);
            }
        }
    }
    None
}
