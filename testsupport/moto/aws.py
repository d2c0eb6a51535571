#!/usr/bin/env python3
"""Reads (and for test set-up, makes) AWS network resources through the AWS API, for kops6's
tests against moto on loopback. Prints JSON. Never point it at anything but a local emulator.

    aws.py --endpoint http://127.0.0.1:PORT network --vpc-id vpc-...
    aws.py --endpoint ... shared-vpc --cidr 10.0.0.0/16 [--no-egress-only-gateway]
    aws.py --endpoint ... transit-gateway
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
from urllib.parse import urlparse

import boto3
import botocore.exceptions


def client(endpoint: str, region: str):
    host = urlparse(endpoint).hostname or ""
    if not ipaddress.ip_address(host).is_loopback:
        sys.exit(f"aws.py: refusing non-loopback endpoint {endpoint}")
    return boto3.client(
        "ec2",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def tags(obj: dict) -> dict:
    return {t["Key"]: t["Value"] for t in obj.get("Tags", [])}


def vpc_filter(vpc_id: str) -> list:
    return [{"Name": "vpc-id", "Values": [vpc_id]}]


def network(ec2, vpc_id: str) -> dict:
    vpc = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
    attr = lambda name: ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute=name)
    subnets = []
    for s in ec2.describe_subnets(Filters=vpc_filter(vpc_id))["Subnets"]:
        subnets.append({
            "id": s["SubnetId"],
            "zone": s["AvailabilityZone"],
            "cidr": s.get("CidrBlock") or None,
            "ipv6Cidrs": [a["Ipv6CidrBlock"] for a in s.get("Ipv6CidrBlockAssociationSet", [])
                           if a.get("Ipv6CidrBlockState", {}).get("State") == "associated"],
            "ipv6Native": s.get("Ipv6Native", False),
            "enableDns64": s.get("EnableDns64", False),
            "assignIpv6AddressOnCreation": s.get("AssignIpv6AddressOnCreation", False),
            "hostnameType": s.get("PrivateDnsNameOptionsOnLaunch", {}).get("HostnameType"),
            "aRecord": s.get("PrivateDnsNameOptionsOnLaunch", {}).get("EnableResourceNameDnsARecord", False),
            "aaaaRecord": s.get("PrivateDnsNameOptionsOnLaunch", {}).get("EnableResourceNameDnsAAAARecord", False),
            "tags": tags(s),
        })
    tables = []
    for t in ec2.describe_route_tables(Filters=vpc_filter(vpc_id))["RouteTables"]:
        routes = []
        for r in t.get("Routes", []):
            dest = r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock")
            target = (r.get("NatGatewayId") or r.get("EgressOnlyInternetGatewayId")
                      or r.get("TransitGatewayId") or r.get("InstanceId")
                      or r.get("VpcPeeringConnectionId") or r.get("GatewayId"))
            routes.append({"destination": dest, "target": target})
        tables.append({
            "id": t["RouteTableId"],
            "main": any(a.get("Main") for a in t.get("Associations", [])),
            "tags": tags(t),
            "routes": sorted(routes, key=lambda r: r["destination"] or ""),
            "subnets": sorted(a["SubnetId"] for a in t.get("Associations", []) if a.get("SubnetId")),
        })
    nats = [{
        "id": n["NatGatewayId"],
        "subnet": n["SubnetId"],
        "state": n["State"],
        "allocations": [a.get("AllocationId") for a in n.get("NatGatewayAddresses", [])],
        "tags": tags(n),
    } for n in ec2.describe_nat_gateways(Filters=vpc_filter(vpc_id))["NatGateways"]
        if n["State"] not in ("deleted", "deleting")]
    igws = [{"id": g["InternetGatewayId"], "tags": tags(g)} for g in ec2.describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])["InternetGateways"]]
    eigws = [{"id": g["EgressOnlyInternetGatewayId"], "tags": tags(g)}
             for g in ec2.describe_egress_only_internet_gateways()["EgressOnlyInternetGateways"]
             if any(a.get("VpcId") == vpc_id for a in g.get("Attachments", []))]
    eips = [{"allocationId": a["AllocationId"], "publicIp": a.get("PublicIp"), "tags": tags(a)}
            for a in ec2.describe_addresses()["Addresses"]]
    dhcp = None
    if vpc.get("DhcpOptionsId") and vpc["DhcpOptionsId"] != "default":
        d = ec2.describe_dhcp_options(DhcpOptionsIds=[vpc["DhcpOptionsId"]])["DhcpOptions"][0]
        dhcp = {
            "id": d["DhcpOptionsId"],
            "config": {c["Key"]: [v["Value"] for v in c["Values"]] for c in d["DhcpConfigurations"]},
            "tags": tags(d),
        }
    return {
        "vpc": {
            "id": vpc_id,
            "cidr": vpc["CidrBlock"],
            "ipv6Cidrs": [a["Ipv6CidrBlock"] for a in vpc.get("Ipv6CidrBlockAssociationSet", [])
                           if a.get("Ipv6CidrBlockState", {}).get("State") == "associated"],
            "dnsHostnames": attr("enableDnsHostnames")["EnableDnsHostnames"]["Value"],
            "dnsSupport": attr("enableDnsSupport")["EnableDnsSupport"]["Value"],
            "tags": tags(vpc),
        },
        "subnets": sorted(subnets, key=lambda s: s["tags"].get("Name", s["id"])),
        "routeTables": tables,
        "natGateways": nats,
        "internetGateways": igws,
        "egressOnlyInternetGateways": eigws,
        "elasticIps": eips,
        "dhcpOptions": dhcp,
    }


def shared_vpc(ec2, cidr: str, egress_only: bool, ipv6: bool) -> dict:
    """A VPC made outside kops6, as a user would have it: IPv6 block, IGW, EIGW."""
    vpc = ec2.create_vpc(CidrBlock=cidr, AmazonProvidedIpv6CidrBlock=ipv6,
                         TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "shared"}]}])["Vpc"]
    vpc_id = vpc["VpcId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    out = {"vpcId": vpc_id, "internetGatewayId": igw, "egressOnlyInternetGatewayId": None}
    if egress_only:
        out["egressOnlyInternetGatewayId"] = ec2.create_egress_only_internet_gateway(
            VpcId=vpc_id)["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"]
    return out


def nat_gateway(ec2, vpc_id: str, cidr: str, zone: str) -> dict:
    """An existing NAT gateway (with its own subnet and Elastic IP) that a spec reuses by ID."""
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eip)["NatGateway"]["NatGatewayId"]
    return {"subnetId": subnet, "allocationId": eip, "natGatewayId": nat}


def owned(ec2, cluster: str) -> dict:
    """Every EC2 network resource tagged kubernetes.io/cluster/<cluster>=owned, by kind.

    Tags are checked here as well as filtered on: moto 5.2.1 ignores tag filters for NAT
    gateways and egress-only internet gateways."""
    key = f"kubernetes.io/cluster/{cluster}"
    f = [{"Name": f"tag:{key}", "Values": ["owned"]}]

    def mine(items, id_key):
        return [x[id_key] for x in items if tags(x).get(key) == "owned"]

    nats = [n for n in ec2.describe_nat_gateways(Filters=f)["NatGateways"] if n["State"] not in ("deleted", "deleting")]
    return {
        "vpcs": mine(ec2.describe_vpcs(Filters=f)["Vpcs"], "VpcId"),
        "subnets": mine(ec2.describe_subnets(Filters=f)["Subnets"], "SubnetId"),
        "routeTables": mine(ec2.describe_route_tables(Filters=f)["RouteTables"], "RouteTableId"),
        "internetGateways": mine(ec2.describe_internet_gateways(Filters=f)["InternetGateways"], "InternetGatewayId"),
        "egressOnlyInternetGateways": mine(
            ec2.describe_egress_only_internet_gateways(Filters=f)["EgressOnlyInternetGateways"], "EgressOnlyInternetGatewayId"),
        "natGateways": mine(nats, "NatGatewayId"),
        "elasticIps": mine(ec2.describe_addresses(Filters=f)["Addresses"], "AllocationId"),
        "dhcpOptions": mine(ec2.describe_dhcp_options(Filters=f)["DhcpOptions"], "DhcpOptionsId"),
    }


def everything(ec2) -> dict:
    """All network resources, tagged or not, for duplicate and orphan checks."""
    return {
        "vpcs": ec2.describe_vpcs()["Vpcs"],
        "subnets": ec2.describe_subnets()["Subnets"],
        "routeTables": ec2.describe_route_tables()["RouteTables"],
        "internetGateways": ec2.describe_internet_gateways()["InternetGateways"],
        "egressOnlyInternetGateways": ec2.describe_egress_only_internet_gateways()["EgressOnlyInternetGateways"],
        "natGateways": [n for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] not in ("deleted", "deleting")],
        "elasticIps": ec2.describe_addresses()["Addresses"],
        "dhcpOptions": ec2.describe_dhcp_options()["DhcpOptions"],
    }


def warm(client_for, region: str) -> dict:
    """Pays moto's first-call costs, which AWS does not have, before a benchmark times anything:
    the EC2 region's default VPC and catalogues, each service's backend and botocore model (the
    reads of `cluster`), the lookup moto builds for its first error answer, and the default
    `aws/ebs` KMS key (an RSA key pair) that moto makes for its first encrypted volume. Leaves
    nothing behind but that key, which AWS accounts have anyway."""
    ec2 = client_for("ec2")
    everything(ec2)
    cluster(client_for, "warm-up.invalid")
    try:
        client_for("iam").get_role(RoleName="warm-up.invalid")
    except botocore.exceptions.ClientError:
        pass
    volume = ec2.create_volume(AvailabilityZone=f"{region}a", Size=1, Encrypted=True)
    ec2.delete_volume(VolumeId=volume["VolumeId"])
    return {"warmed": True}


def session(endpoint: str, region: str, service: str):
    host = urlparse(endpoint).hostname or ""
    if not ipaddress.ip_address(host).is_loopback:
        sys.exit(f"aws.py: refusing non-loopback endpoint {endpoint}")
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="test", aws_secret_access_key="test")


def image(ec2, name: str) -> dict:
    """An AMI with this name (moto's own images are too old for the IPv6 image rules)."""
    out = ec2.register_image(Name=name, Architecture="x86_64", RootDeviceName="/dev/sda1",
                             VirtualizationType="hvm",
                             BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8}}])
    img = ec2.describe_images(ImageIds=[out["ImageId"]])["Images"][0]
    return {"imageId": img["ImageId"], "ownerId": img["OwnerId"], "name": img["Name"]}


def hosted_zone(r53, name: str, records: list[str], private_vpc: str | None = None) -> dict:
    """A hosted zone, with an A record for each NAME=IPV4 (a record kops6 must not touch).
    Public, or private to `private_vpc` (Route53 makes a private zone with one VPC)."""
    extra = {}
    if private_vpc:
        extra = {"VPC": {"VPCRegion": r53.meta.region_name, "VPCId": private_vpc},
                 "HostedZoneConfig": {"PrivateZone": True, "Comment": "kops6 test"}}
    ref = f"kops6-test-{name}-{'private' if private_vpc else 'public'}"
    z = r53.create_hosted_zone(Name=name, CallerReference=ref, **extra)["HostedZone"]
    for r in records:
        rname, ip = r.split("=", 1)
        r53.change_resource_record_sets(HostedZoneId=z["Id"], ChangeBatch={"Changes": [{
            "Action": "CREATE",
            "ResourceRecordSet": {"Name": rname, "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": ip}]}}]})
    return {"id": z["Id"].split("/")[-1], "name": z["Name"]}


def zones(r53) -> dict:
    """Every hosted zone with its records: {zone name: [{name, type, alias, values}]}; a private
    zone's name is followed by " (private)"."""
    out = {}
    for z in r53.list_hosted_zones()["HostedZones"]:
        private = z.get("Config", {}).get("PrivateZone", False)
        out[z["Name"] + (" (private)" if private else "")] = [{"name": rr["Name"], "type": rr["Type"],
                           "alias": rr.get("AliasTarget", {}).get("DNSName"),
                           "values": [v["Value"] for v in rr.get("ResourceRecords", [])]}
                          for rr in r53.list_resource_record_sets(HostedZoneId=z["Id"])["ResourceRecordSets"]]
    return out


def instances_of(ec2, ids: list) -> list:
    """What an autoscaling group's instances were launched with, sorted by ID."""
    if not ids:
        return []
    out = []
    for r in ec2.describe_instances(InstanceIds=ids)["Reservations"]:
        for i in r["Instances"]:
            nic = next((n for n in i.get("NetworkInterfaces", []) if n.get("Attachment", {}).get("DeviceIndex", 0) == 0), {})
            out.append({"id": i["InstanceId"], "type": i["InstanceType"], "subnetId": i.get("SubnetId"),
                        "launchTemplateVersion": tags(i).get("aws:ec2launchtemplate:version"),
                        "metadata": i.get("MetadataOptions", {}),
                        "ipv6Addresses": [a["Ipv6Address"] for a in nic.get("Ipv6Addresses", [])],
                        "groups": sorted(g["GroupName"] for g in nic.get("Groups", [])),
                        "publicIp": i.get("PublicIpAddress")})
    return sorted(out, key=lambda x: x["id"])


def s3_objects(s3, bucket: str, prefix: str) -> dict:
    """Every object under `prefix` in `bucket`, as text."""
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for o in page.get("Contents", []):
            out[o["Key"]] = s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read().decode("utf-8", "replace")
    return out


def autoscaling_group(client_for, cluster: str, group: str, size: int, min_size: int, max_size: int) -> dict:
    """An autoscaling group tagged as kops6 tags a cluster's, with `size` instances (moto makes
    them InService at once), for `validate cluster`."""
    ec2 = client_for("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    name = f"{group}.{cluster}"
    # Instances go in a subnet, as kops6's always do (kops6_moto's network patches expect one).
    vpc = ec2.create_vpc(CidrBlock="10.99.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.99.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    lt = ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData={"ImageId": image, "InstanceType": "t3.medium"})
    asg = client_for("autoscaling")
    asg.create_auto_scaling_group(
        AutoScalingGroupName=name, MinSize=min_size, MaxSize=max(max_size, size), DesiredCapacity=size,
        LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplate"]["LaunchTemplateId"], "Version": "$Latest"},
        VPCZoneIdentifier=subnet,
        Tags=[{"Key": k, "Value": v, "PropagateAtLaunch": True} for k, v in
              ((f"kubernetes.io/cluster/{cluster}", "owned"), ("kops.k8s.io/instancegroup", group))])
    if max_size < size:
        asg.update_auto_scaling_group(AutoScalingGroupName=name, MaxSize=max_size)
    g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]
    return {"name": name, "instances": sorted(i["InstanceId"] for i in g["Instances"])}


def cluster(client_for, name: str) -> dict:
    """The SPEC 7 resources of a cluster as read back through the AWS API, by kOps name."""
    ec2 = client_for("ec2")
    owned_tag = f"kubernetes.io/cluster/{name}"
    f = [{"Name": f"tag:{owned_tag}", "Values": ["owned"]}]
    groups = {}
    for g in ec2.describe_security_groups(Filters=f)["SecurityGroups"]:
        if tags(g).get(owned_tag) != "owned":
            continue
        groups[g["GroupName"]] = {"id": g["GroupId"], "vpcId": g["VpcId"], "description": g["Description"], "tags": tags(g)}
    names_by_id = {v["id"]: k for k, v in groups.items()}
    rules = []
    for g in ec2.describe_security_groups(GroupIds=[v["id"] for v in groups.values()] or ["sg-none"])["SecurityGroups"] if groups else []:
        for direction, perms in (("ingress", g["IpPermissions"]), ("egress", g["IpPermissionsEgress"])):
            for p in perms:
                base = {"group": g["GroupName"], "direction": direction, "protocol": p["IpProtocol"],
                        "from": p.get("FromPort"), "to": p.get("ToPort")}
                for r in p.get("IpRanges", []):
                    rules.append({**base, "cidr": r["CidrIp"]})
                for r in p.get("Ipv6Ranges", []):
                    rules.append({**base, "ipv6Cidr": r["CidrIpv6"]})
                for r in p.get("UserIdGroupPairs", []):
                    rules.append({**base, "sourceGroup": names_by_id.get(r["GroupId"], r["GroupId"])})
    templates = {}
    for lt in ec2.describe_launch_templates(Filters=f)["LaunchTemplates"]:
        v = ec2.describe_launch_template_versions(LaunchTemplateId=lt["LaunchTemplateId"], Versions=["$Latest"])["LaunchTemplateVersions"][0]
        templates[lt["LaunchTemplateName"]] = {"id": lt["LaunchTemplateId"], "latestVersion": lt["LatestVersionNumber"], "data": v["LaunchTemplateData"]}
    volumes = {tags(v).get("Name"): {"zone": v["AvailabilityZone"], "size": v["Size"], "type": v["VolumeType"],
                                     "encrypted": v["Encrypted"], "iops": v.get("Iops"), "throughput": v.get("Throughput"), "tags": tags(v)}
               for v in ec2.describe_volumes(Filters=f)["Volumes"] if tags(v).get(owned_tag) == "owned"}
    key_pairs = {k["KeyName"]: {"tags": tags(k), "fingerprint": k.get("KeyFingerprint")}
                 for k in ec2.describe_key_pairs()["KeyPairs"] if tags(k).get(owned_tag) == "owned"}
    asg = client_for("autoscaling")
    groups_out = {}
    for g in asg.describe_auto_scaling_groups()["AutoScalingGroups"]:
        t = {x["Key"]: x["Value"] for x in g.get("Tags", [])}
        if t.get(owned_tag) != "owned":
            continue
        groups_out[g["AutoScalingGroupName"]] = {
            "min": g["MinSize"], "max": g["MaxSize"], "subnets": sorted(filter(None, g.get("VPCZoneIdentifier", "").split(","))),
            "launchTemplate": g.get("LaunchTemplate", {}), "targetGroupArns": g.get("TargetGroupARNs", []), "tags": t,
            "instances": instances_of(ec2, [i["InstanceId"] for i in g.get("Instances", [])])}
    iam = client_for("iam")
    roles = {}
    for r in iam.list_roles()["Roles"]:
        if not r["RoleName"].endswith("." + name):
            continue
        policies = {p: iam.get_role_policy(RoleName=r["RoleName"], PolicyName=p)["PolicyDocument"]
                    for p in iam.list_role_policies(RoleName=r["RoleName"])["PolicyNames"]}
        roles[r["RoleName"]] = {"policies": policies}
    profiles = {p["InstanceProfileName"]: [r["RoleName"] for r in p["Roles"]]
                for p in iam.list_instance_profiles()["InstanceProfiles"] if p["InstanceProfileName"].endswith("." + name)}
    elb = client_for("elbv2")
    lbs = {}
    for lb in elb.describe_load_balancers()["LoadBalancers"]:
        t = {x["Key"]: x["Value"] for x in elb.describe_tags(ResourceArns=[lb["LoadBalancerArn"]])["TagDescriptions"][0]["Tags"]}
        if t.get(owned_tag) != "owned":
            continue
        listeners = [{"port": li["Port"], "protocol": li["Protocol"],
                      "targetGroupArn": li["DefaultActions"][0].get("TargetGroupArn")}
                     for li in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]]
        lbs[lb["LoadBalancerName"]] = {"arn": lb["LoadBalancerArn"], "type": lb["Type"], "scheme": lb.get("Scheme"),
                                       "ipAddressType": lb.get("IpAddressType"), "dnsName": lb.get("DNSName"),
                                       "subnets": sorted(a["SubnetId"] for a in lb.get("AvailabilityZones", [])),
                                       "securityGroups": [names_by_id.get(s, s) for s in lb.get("SecurityGroups", [])],
                                       "listeners": listeners, "tags": t}
    tgs = {}
    for tg in elb.describe_target_groups()["TargetGroups"]:
        t = {x["Key"]: x["Value"] for x in elb.describe_tags(ResourceArns=[tg["TargetGroupArn"]])["TagDescriptions"][0]["Tags"]}
        if t.get(owned_tag) != "owned":
            continue
        tgs[tg["TargetGroupName"]] = {"arn": tg["TargetGroupArn"], "port": tg["Port"], "protocol": tg["Protocol"],
                                      "healthCheckProtocol": tg.get("HealthCheckProtocol"), "tags": t}
    r53 = client_for("route53")
    records = []
    for z in r53.list_hosted_zones()["HostedZones"]:
        for rr in r53.list_resource_record_sets(HostedZoneId=z["Id"])["ResourceRecordSets"]:
            if rr["Name"].rstrip(".").endswith(name) and "AliasTarget" in rr:
                records.append({"zone": z["Name"], "name": rr["Name"], "type": rr["Type"],
                                "alias": rr["AliasTarget"]["DNSName"].rstrip(".")})
    return {"securityGroups": groups, "rules": rules, "launchTemplates": templates, "volumes": volumes,
            "keyPairs": key_pairs, "autoscalingGroups": groups_out, "roles": roles, "instanceProfiles": profiles,
            "loadBalancers": lbs, "targetGroups": tgs, "records": records}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--region", default="us-east-1")
    sub = p.add_subparsers(dest="command", required=True)
    n = sub.add_parser("network")
    n.add_argument("--vpc-id", required=True)
    s = sub.add_parser("shared-vpc")
    s.add_argument("--cidr", required=True)
    s.add_argument("--no-egress-only-gateway", action="store_true")
    s.add_argument("--no-ipv6", action="store_true")
    sub.add_parser("transit-gateway")
    ng = sub.add_parser("nat-gateway")
    ng.add_argument("--vpc-id", required=True)
    ng.add_argument("--cidr", required=True)
    ng.add_argument("--zone", required=True)
    sub.add_parser("elastic-ip")
    sub.add_parser("vpc")
    o = sub.add_parser("owned")
    o.add_argument("--cluster", required=True)
    sub.add_parser("everything")
    sub.add_parser("warm", help="pay moto's first-call costs before a benchmark")
    b = sub.add_parser("bucket")
    b.add_argument("--name", required=True)
    im = sub.add_parser("image")
    im.add_argument("--name", required=True)
    hz = sub.add_parser("hosted-zone")
    hz.add_argument("--name", required=True)
    hz.add_argument("--record", action="append", default=[], help="NAME=IPV4: an A record to add")
    hz.add_argument("--private-vpc", help="make the zone private to this VPC")
    sub.add_parser("zones")
    zv = sub.add_parser("zone-vpcs")
    zv.add_argument("--id", required=True)
    cl = sub.add_parser("cluster")
    cl.add_argument("--cluster", required=True)
    so = sub.add_parser("s3-objects")
    so.add_argument("--bucket", required=True)
    so.add_argument("--prefix", default="")
    sd = sub.add_parser("s3-delete", help="delete one object (what a run has not written yet)")
    sd.add_argument("--bucket", required=True)
    sd.add_argument("--key", required=True)
    ag = sub.add_parser("autoscaling-group")
    ag.add_argument("--cluster", required=True)
    ag.add_argument("--group", required=True)
    ag.add_argument("--size", type=int, required=True)
    ag.add_argument("--min", type=int, required=True)
    ag.add_argument("--max", type=int, required=True)
    args = p.parse_args()
    ec2 = client(args.endpoint, args.region)
    if args.command == "network":
        out = network(ec2, args.vpc_id)
    elif args.command == "shared-vpc":
        out = shared_vpc(ec2, args.cidr, not args.no_egress_only_gateway, not args.no_ipv6)
    elif args.command == "nat-gateway":
        out = nat_gateway(ec2, args.vpc_id, args.cidr, args.zone)
    elif args.command == "vpc":
        # A VPC of someone else's, e.g. the one a private hosted zone was made with.
        out = {"vpcId": ec2.create_vpc(CidrBlock="10.99.0.0/16")["Vpc"]["VpcId"]}
    elif args.command == "elastic-ip":
        out = {"allocationId": ec2.allocate_address(Domain="vpc")["AllocationId"]}
    elif args.command == "owned":
        out = owned(ec2, args.cluster)
    elif args.command == "everything":
        out = everything(ec2)
    elif args.command == "warm":
        out = warm(lambda service: session(args.endpoint, args.region, service), args.region)
    elif args.command == "image":
        out = image(ec2, args.name)
    elif args.command == "hosted-zone":
        out = hosted_zone(session(args.endpoint, args.region, "route53"), args.name, args.record,
                          args.private_vpc)
    elif args.command == "zone-vpcs":
        got = session(args.endpoint, args.region, "route53").get_hosted_zone(Id=args.id)
        out = sorted(v["VPCId"] for v in got.get("VPCs", []))
    elif args.command == "zones":
        out = zones(session(args.endpoint, args.region, "route53"))
    elif args.command == "cluster":
        out = cluster(lambda service: session(args.endpoint, args.region, service), args.cluster)
    elif args.command == "s3-objects":
        out = s3_objects(session(args.endpoint, args.region, "s3"), args.bucket, args.prefix)
    elif args.command == "s3-delete":
        session(args.endpoint, args.region, "s3").delete_object(Bucket=args.bucket, Key=args.key)
        out = {"deleted": args.key}
    elif args.command == "autoscaling-group":
        out = autoscaling_group(lambda service: session(args.endpoint, args.region, service), args.cluster,
                                args.group, args.size, args.min, args.max)
    elif args.command == "bucket":
        host = urlparse(args.endpoint).hostname or ""
        s3 = boto3.client("s3", endpoint_url=args.endpoint, region_name=args.region,
                          aws_access_key_id="test", aws_secret_access_key="test")
        s3.create_bucket(Bucket=args.name)
        out = {"bucket": args.name, "host": host}
    else:
        out = {"transitGatewayId": ec2.create_transit_gateway(Description="kops6 test")["TransitGateway"]["TransitGatewayId"]}
    json.dump(out, sys.stdout, indent=2, sort_keys=True, default=str)


if __name__ == "__main__":
    main()
