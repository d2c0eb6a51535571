//! Where a cluster's files live inside a store (kOps' layout).

use crate::{StateError, StateStore};

/// The spec files of the clusters in one store.
pub struct ClusterFiles<'a> {
    store: &'a dyn StateStore,
}

/// The file whose presence means "this cluster exists".
const CONFIG: &str = "config";
const INSTANCE_GROUPS: &str = "instancegroup";
/// Where kOps keeps the admin SSH public key, one object named by its fingerprint id.
const SSH_ADMIN_KEYS: &str = "pki/ssh/public/admin";

impl<'a> ClusterFiles<'a> {
    pub fn new(store: &'a dyn StateStore) -> Self {
        Self { store }
    }

    pub fn store_url(&self) -> String {
        self.store.url()
    }

    /// Where a cluster's spec lives (its `configBase`).
    pub fn config_base(&self, cluster: &str) -> String {
        format!("{}/{cluster}", self.store.url().trim_end_matches('/'))
    }

    /// Clusters that have a `config`.
    pub fn clusters(&self) -> Result<Vec<String>, StateError> {
        let mut out = Vec::new();
        for name in self.store.list("")? {
            if self.store.read(&format!("{name}/{CONFIG}"))?.is_some() {
                out.push(name);
            }
        }
        Ok(out)
    }

    pub fn read_cluster(&self, cluster: &str) -> Result<Option<Vec<u8>>, StateError> {
        self.store.read(&format!("{cluster}/{CONFIG}"))
    }

    /// Each instance group's name and bytes, sorted by name.
    pub fn read_instance_groups(
        &self,
        cluster: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, StateError> {
        let dir = format!("{cluster}/{INSTANCE_GROUPS}");
        let mut out = Vec::new();
        for name in self.store.list(&dir)? {
            if let Some(data) = self.store.read(&format!("{dir}/{name}"))? {
                out.push((name, data));
            }
        }
        Ok(out)
    }

    /// Writes a whole cluster: instance groups first and the cluster's `config` last, so a
    /// cluster never appears with groups missing; groups no longer in the set are removed.
    pub fn write_cluster(
        &self,
        cluster: &str,
        config: &[u8],
        groups: &[(String, Vec<u8>)],
    ) -> Result<(), StateError> {
        let dir = format!("{cluster}/{INSTANCE_GROUPS}");
        for (name, data) in groups {
            self.store.write(&format!("{dir}/{name}"), data)?;
        }
        for old in self.store.list(&dir)? {
            if !groups.iter().any(|(n, _)| *n == old) {
                self.store.delete(&format!("{dir}/{old}"))?;
            }
        }
        self.store.write(&format!("{cluster}/{CONFIG}"), config)
    }

    /// Replaces only the cluster's `config`.
    pub fn write_config(&self, cluster: &str, config: &[u8]) -> Result<(), StateError> {
        self.store.write(&format!("{cluster}/{CONFIG}"), config)
    }

    /// The keys a delete would remove, for a preview.
    pub fn keys_of(&self, cluster: &str) -> Result<Vec<String>, StateError> {
        let mut keys = Vec::new();
        if self.read_cluster(cluster)?.is_some() {
            keys.push(format!("{cluster}/{CONFIG}"));
        }
        for (name, _) in self.read_instance_groups(cluster)? {
            keys.push(format!("{cluster}/{INSTANCE_GROUPS}/{name}"));
        }
        for (id, _) in self.read_ssh_public_keys(cluster)? {
            keys.push(format!("{cluster}/{SSH_ADMIN_KEYS}/{id}"));
        }
        Ok(keys)
    }

    /// The admin SSH public keys (`<C>/pki/ssh/public/admin/<id>`), by id.
    pub fn read_ssh_public_keys(
        &self,
        cluster: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, StateError> {
        let dir = format!("{cluster}/{SSH_ADMIN_KEYS}");
        let mut out = Vec::new();
        for id in self.store.list(&dir)? {
            if let Some(data) = self.store.read(&format!("{dir}/{id}"))? {
                out.push((id, data));
            }
        }
        Ok(out)
    }

    /// Makes `key` the cluster's one admin SSH key, as kOps' `create sshpublickey` does: the
    /// new key is written first, then any other removed.
    pub fn replace_ssh_public_key(
        &self,
        cluster: &str,
        id: &str,
        key: &[u8],
    ) -> Result<(), StateError> {
        let dir = format!("{cluster}/{SSH_ADMIN_KEYS}");
        self.store.write(&format!("{dir}/{id}"), key)?;
        for old in self.store.list(&dir)? {
            if old != id {
                self.store.delete(&format!("{dir}/{old}"))?;
            }
        }
        Ok(())
    }

    /// Removes every admin SSH key; returns the ids removed.
    pub fn delete_ssh_public_keys(&self, cluster: &str) -> Result<Vec<String>, StateError> {
        let dir = format!("{cluster}/{SSH_ADMIN_KEYS}");
        let ids = self.store.list(&dir)?;
        for id in &ids {
            self.store.delete(&format!("{dir}/{id}"))?;
        }
        Ok(ids)
    }

    /// Deletes the cluster: `config` first, so a half-finished delete leaves no cluster behind
    /// that looks whole.
    pub fn delete_cluster(&self, cluster: &str) -> Result<(), StateError> {
        self.store.delete(&format!("{cluster}/{CONFIG}"))?;
        self.store.delete(cluster)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileStore;

    #[test]
    fn write_read_and_delete_a_cluster() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let files = ClusterFiles::new(&store);
        let groups = vec![("nodes".to_string(), b"ig".to_vec())];
        files
            .write_cluster("c.example.com", b"cluster", &groups)
            .unwrap();
        assert_eq!(files.clusters().unwrap(), vec!["c.example.com"]);
        assert_eq!(files.read_instance_groups("c.example.com").unwrap(), groups);
        files
            .write_cluster("c.example.com", b"cluster", &[])
            .unwrap();
        assert!(files
            .read_instance_groups("c.example.com")
            .unwrap()
            .is_empty());
        files.delete_cluster("c.example.com").unwrap();
        assert!(files.clusters().unwrap().is_empty());
        assert!(files.keys_of("c.example.com").unwrap().is_empty());
    }

    #[test]
    fn ssh_public_keys_live_under_pki_ssh_public_admin_and_replace_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let files = ClusterFiles::new(&store);
        files
            .write_cluster("c.example.com", b"cluster", &[])
            .unwrap();
        files
            .replace_ssh_public_key("c.example.com", "aa11", b"ssh-ed25519 AAAA1")
            .unwrap();
        assert_eq!(
            store
                .read("c.example.com/pki/ssh/public/admin/aa11")
                .unwrap(),
            Some(b"ssh-ed25519 AAAA1".to_vec())
        );
        files
            .replace_ssh_public_key("c.example.com", "bb22", b"ssh-ed25519 AAAA2")
            .unwrap();
        assert_eq!(
            files.read_ssh_public_keys("c.example.com").unwrap(),
            vec![("bb22".to_string(), b"ssh-ed25519 AAAA2".to_vec())]
        );
        assert!(files
            .keys_of("c.example.com")
            .unwrap()
            .contains(&"c.example.com/pki/ssh/public/admin/bb22".to_string()));
        assert_eq!(
            files.delete_ssh_public_keys("c.example.com").unwrap(),
            vec!["bb22"]
        );
        assert!(files
            .read_ssh_public_keys("c.example.com")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn folder_without_config_is_not_a_cluster() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        store
            .write("half.example.com/instancegroup/x", b"1")
            .unwrap();
        assert!(ClusterFiles::new(&store).clusters().unwrap().is_empty());
    }
}
