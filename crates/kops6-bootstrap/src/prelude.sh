#!/bin/sh
# kops6 prelude: what kubeadm does not do on AWS, then kubeadm. Settings come from
# /etc/kops6/bootstrap.env (written by cloud-init, no secrets); secrets come from the state store,
# read with this instance's role. Every step prints its name; a failing step stops the boot.
set -eu
# shellcheck source=/dev/null
. "${KOPS6_ENV:-/etc/kops6/bootstrap.env}"
R="${KOPS6_ROOT:-}"
PKI="$R/etc/kubernetes/pki"
SECRETS="$R/etc/kops6/secrets"

say() { printf 'kops6: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
step() { STEP="$1"; say "step $STEP"; }
on_exit() { rc=$?; [ "$rc" -eq 0 ] || say "stopped in step ${STEP:-start} (exit $rc)"; }
trap on_exit EXIT

# IMDSv2: one session token, then plain reads.
imds_token() {
  curl -fsS --retry 5 --retry-connrefused -X PUT \
    -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600' "$KOPS6_IMDS/latest/api/token"
}
imds() { curl -fsS --retry 3 -H "X-aws-ec2-metadata-token: $TOKEN" "$KOPS6_IMDS/latest/meta-data/$1"; }
json_field() { printf '%s' "$1" | tr -d '\n' | sed -n "s/.*\"$2\" *: *\"\([^\"]*\)\".*/\1/p"; }

load_credentials() {
  role=$(imds iam/security-credentials/ | head -n 1)
  [ -n "$role" ] || die "the instance has no IAM role"
  creds=$(imds "iam/security-credentials/$role")
  AK=$(json_field "$creds" AccessKeyId)
  SK=$(json_field "$creds" SecretAccessKey)
  TK=$(json_field "$creds" Token)
  if [ -z "$AK" ] || [ -z "$SK" ]; then die "no credentials for role $role in instance metadata"; fi
}

# Signed requests with the instance role (stock Ubuntu has no aws CLI).
aws_curl() {
  service="$1"; shift
  curl -fsS --retry 3 --aws-sigv4 "aws:amz:$KOPS6_REGION:$service" --user "$AK:$SK" \
    -H "x-amz-security-token: $TK" "$@"
}
fetch() { # KEY DEST MODE
  mkdir -p "$(dirname "$2")"
  aws_curl s3 -o "$2" "$KOPS6_STATE/$1" || die "cannot read $1 from the state store"
  chmod "$3" "$2"
}
ec2() { aws_curl ec2 --data "Version=2016-11-15&$1" "$KOPS6_EC2/"; }
xml_field() { tr -d '\n' | sed -n "s/.*<$1>\([^<]*\)<\/$1>.*/\1/p"; }

step metadata
TOKEN=$(imds_token) || die "instance metadata at $KOPS6_IMDS does not answer"
NAME=$(imds local-hostname)
ZONE=$(imds placement/availability-zone)
INSTANCE=$(imds instance-id)
MAC=$(imds mac)
ENI=$(imds "network/interfaces/macs/$MAC/interface-id")
load_credentials

step hostname
# kubeadm names the node after the host: the EC2 resource name, as the cloud controller expects.
hostnamectl set-hostname "$NAME"

POD_CIDR=""
if [ "$KOPS6_IPV6" = 1 ]; then
  step ipv6-prefix
  POD_CIDR=$(imds "network/interfaces/macs/$MAC/ipv6-prefix" 2>/dev/null | head -n 1 || true)
  if [ -z "$POD_CIDR" ]; then
    ec2 "Action=AssignIpv6Addresses&NetworkInterfaceId=$ENI&Ipv6PrefixCount=1" >/dev/null \
      || die "AssignIpv6Addresses on $ENI was refused"
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      POD_CIDR=$(imds "network/interfaces/macs/$MAC/ipv6-prefix" 2>/dev/null | head -n 1 || true)
      [ -n "$POD_CIDR" ] && break
      sleep "${KOPS6_POLL:-3}"
    done
  fi
  [ -n "$POD_CIDR" ] || die "no IPv6 prefix on $ENI: pods would have no addresses"
  say "pod range $POD_CIDR"
fi

step kernel
modprobe overlay
modprobe br_netfilter
sysctl --system >/dev/null

step packages
mkdir -p "$R/etc/apt/keyrings" "$R/etc/apt/sources.list.d"
# No pipes into the next command: sh has no pipefail, and a failed download must stop here.
curl -fsSL --retry 5 -o "$R/etc/apt/keyrings/kubernetes.asc" "${KOPS6_K8S_REPO}Release.key" \
  || die "cannot download the Kubernetes package key from $KOPS6_K8S_REPO"
gpg --batch --yes --dearmor -o "$R/etc/apt/keyrings/kubernetes.gpg" "$R/etc/apt/keyrings/kubernetes.asc"
echo "deb [signed-by=/etc/apt/keyrings/kubernetes.gpg] $KOPS6_K8S_REPO /" > "$R/etc/apt/sources.list.d/kubernetes.list"
apt-get update -q
apt-get install -y -q containerd "kubelet=$KOPS6_K8S_PACKAGE" "kubeadm=$KOPS6_K8S_PACKAGE" "kubectl=$KOPS6_K8S_PACKAGE"
apt-mark hold kubelet kubeadm kubectl >/dev/null
mkdir -p "$R/etc/containerd"
containerd config default > "$R/etc/containerd/config.default.toml"
sed 's/SystemdCgroup = false/SystemdCgroup = true/' "$R/etc/containerd/config.default.toml" > "$R/etc/containerd/config.toml"
systemctl restart containerd

step secrets
fetch pki/private/node-bootstrap/kubeconfig "$SECRETS/bootstrap-kubeconfig" 600
# The API name in this user data wins: without a DNS zone, Terraform fills in the load
# balancer's name at apply time, after the state store's copy was written.
sed "s|^\( *server:\).*|\1 https://$KOPS6_API|" "$SECRETS/bootstrap-kubeconfig" > "$SECRETS/bootstrap-kubeconfig.new"
grep -qF "server: https://$KOPS6_API" "$SECRETS/bootstrap-kubeconfig.new" \
  || die "the discovery kubeconfig from the state store names no API server"
chmod 600 "$SECRETS/bootstrap-kubeconfig.new"
mv "$SECRETS/bootstrap-kubeconfig.new" "$SECRETS/bootstrap-kubeconfig"
if [ "$KOPS6_ROLE" != node ]; then
  fetch pki/issued/kubernetes-ca/ca.crt "$PKI/ca.crt" 644
  fetch pki/private/kubernetes-ca/ca.key "$PKI/ca.key" 600
  fetch pki/issued/apiserver-aggregator-ca/ca.crt "$PKI/front-proxy-ca.crt" 644
  fetch pki/private/apiserver-aggregator-ca/ca.key "$PKI/front-proxy-ca.key" 600
  fetch pki/issued/etcd-ca/ca.crt "$PKI/etcd/ca.crt" 644
  fetch pki/private/etcd-ca/ca.key "$PKI/etcd/ca.key" 600
  fetch pki/issued/service-account/sa.pub "$PKI/sa.pub" 644
  fetch pki/private/service-account/sa.key "$PKI/sa.key" 600
fi

ETCD_DATA=no
if [ "$KOPS6_ROLE" != node ]; then
  step etcd-volume
  vol=$(ec2 "Action=DescribeVolumes&Filter.1.Name=tag:Name&Filter.1.Value.1=$ZONE.etcd-main.$KOPS6_CLUSTER" | xml_field volumeId)
  [ -n "$vol" ] || die "no etcd volume $ZONE.etcd-main.$KOPS6_CLUSTER"
  dev="${KOPS6_DEVICES:-/dev/disk/by-id}/nvme-Amazon_Elastic_Block_Store_$(echo "$vol" | tr -d -)"
  if [ ! -e "$dev" ]; then
    ec2 "Action=AttachVolume&VolumeId=$vol&InstanceId=$INSTANCE&Device=/dev/xvdu" >/dev/null \
      || die "cannot attach $vol (is the old instance still holding it?)"
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
      [ -e "$dev" ] && break
      sleep "${KOPS6_POLL:-3}"
    done
    [ -e "$dev" ] || die "$vol never appeared as $dev"
  fi
  blkid "$dev" >/dev/null || mkfs.ext4 -q -L etcd "$dev"
  mkdir -p "$R/var/lib/etcd"
  mount "$dev" "$R/var/lib/etcd"
  [ -d "$R/var/lib/etcd/member" ] && ETCD_DATA=yes
fi

api_up() { curl -fsk --max-time 5 "https://$KOPS6_API/readyz" >/dev/null 2>&1; }
wait_api() {
  for _ in $(seq 1 "${KOPS6_API_TRIES:-120}"); do api_up && return 0; sleep "${KOPS6_POLL:-5}"; done
  die "the API at $KOPS6_API never answered"
}

step kubeadm
# Who inits: only the initializing group's instance, and only when no API answers (first boot,
# or the only control plane coming back on its etcd volume). Everyone else joins.
if [ "$KOPS6_ROLE" = control-plane-init ] && ! api_up; then
  if [ "$ETCD_DATA" = yes ]; then
    say "restarting the cluster from the etcd data on the volume"
    kubeadm init --config "$R/etc/kops6/kubeadm-init.yaml" --ignore-preflight-errors=DirAvailable--var-lib-etcd
  else
    kubeadm init --config "$R/etc/kops6/kubeadm-init.yaml"
  fi
  step join-token
  ADMIN="$R/etc/kubernetes/admin.conf"
  fetch pki/private/node-bootstrap/token "$SECRETS/token" 600
  id=$(cut -d. -f1 "$SECRETS/token")
  kubeadm token list --kubeconfig "$ADMIN" | grep -q "^$id" \
    || kubeadm token create "$(cat "$SECRETS/token")" --ttl 0 --kubeconfig "$ADMIN" --description kops6
  step addons
  for a in $KOPS6_ADDONS; do
    fetch "$a" "$R/etc/kops6/$a" 600
    kubectl --kubeconfig "$ADMIN" apply --server-side --force-conflicts -f "$R/etc/kops6/$a"
  done
  mkdir -p "$R/etc/kops6/addons"
  while read -r sum url; do
    f="$R/etc/kops6/addons/$(basename "$url")"
    curl -fsSL --retry 5 -o "$f" "$url" || die "cannot download $url"
    echo "$sum  $f" | sha256sum -c --quiet || die "$url does not have the pinned SHA-256"
    kubectl --kubeconfig "$ADMIN" apply --server-side --force-conflicts -f "$f"
  done < "$R/etc/kops6/remote-addons"
else
  wait_api
  if [ "$KOPS6_ROLE" = node ]; then
    kubeadm join --config "$R/etc/kops6/kubeadm-join.yaml"
  else
    OLD=""
    if [ "$ETCD_DATA" = yes ]; then
      # This volume's member belonged to the instance this one replaces: a new member syncs
      # from its peers, and the old one is removed from the member list after the join.
      OLD=$(cat "$R/var/lib/etcd/kops6-member" 2>/dev/null || true)
      rm -rf "$R/var/lib/etcd/member.replaced"
      mv "$R/var/lib/etcd/member" "$R/var/lib/etcd/member.replaced"
    fi
    kubeadm join --config "$R/etc/kops6/kubeadm-join.yaml"
    if [ -n "$OLD" ] && [ "$OLD" != "$NAME" ]; then
      step etcd-member
      ADMIN="$R/etc/kubernetes/admin.conf"
      etcdctl_here() {
        kubectl --kubeconfig "$ADMIN" -n kube-system exec "etcd-$NAME" -- etcdctl \
          --endpoints=https://localhost:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt \
          --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key "$@"
      }
      id=$(etcdctl_here member list | awk -F', ' -v old="$OLD" '$3 == old { print $1 }')
      if [ -n "$id" ]; then etcdctl_here member remove "$id"; fi
      kubectl --kubeconfig "$ADMIN" delete node "$OLD" --ignore-not-found
    fi
  fi
fi
if [ "$KOPS6_ROLE" != node ]; then
  # Which instance this volume's etcd member belongs to, for the next replacement.
  echo "$NAME" > "$R/var/lib/etcd/kops6-member"
fi

if [ -n "$POD_CIDR" ]; then
  step pod-cidr
  # The node writes its own /80 once (NodeRestriction allows its own Node only; the field is
  # write-once, so a different value already there is an error, not something to overwrite).
  KUBELET="$R/etc/kubernetes/kubelet.conf"
  for _ in $(seq 1 "${KOPS6_API_TRIES:-120}"); do
    kubectl --kubeconfig "$KUBELET" get node "$NAME" >/dev/null 2>&1 && break
    sleep "${KOPS6_POLL:-5}"
  done
  have=$(kubectl --kubeconfig "$KUBELET" get node "$NAME" -o 'jsonpath={.spec.podCIDR}')
  if [ -z "$have" ]; then
    kubectl --kubeconfig "$KUBELET" patch node "$NAME" --type merge \
      -p "{\"spec\":{\"podCIDR\":\"$POD_CIDR\",\"podCIDRs\":[\"$POD_CIDR\"]}}"
  elif [ "$have" != "$POD_CIDR" ]; then
    die "node $NAME already has podCIDR $have, not this interface's $POD_CIDR"
  fi
fi
step finished
