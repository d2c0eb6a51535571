#!/usr/bin/env python3
"""kops6 moto launcher.

Starts moto's server on a loopback address with a set of monkeypatches that
close moto 5.2.1's IPv6 gaps, so that Terraform (hashicorp/aws 5.x) can apply
kops6's IPv6 cluster networks against it.

Usage:
    python kops6_moto.py [--host 127.0.0.1] [--port 0]

With --port 0 (the default) a free port is chosen. Once the server socket is
listening, the line ``PORT=<n>`` is written to stdout and flushed, so a test
harness can read it.  Only loopback hosts are accepted.

The patches are written against moto 5.2.1 internals; the launcher refuses to
start with any other moto version.  Every patch aims to make moto behave like
real AWS; none of them relaxes a validation moto already performs.
"""

from __future__ import annotations

import argparse
import copy
import functools
import ipaddress
import os
import signal
import sys
import threading
from typing import Any

PINNED_MOTO_VERSION = "5.2.1"

# Thread-local flag: set while Instance.prep_nics runs for an IPv6-only subnet.
_tls = threading.local()


def _truthy(value: Any) -> bool:
    """moto hands boolean query parameters over as bool or as 'true'/'false'."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() == "true"


def check_moto_version() -> None:
    try:
        import moto
    except ImportError as exc:  # pragma: no cover - environment problem
        sys.stderr.write(f"kops6_moto: cannot import moto: {exc}\n")
        sys.exit(2)
    version = getattr(moto, "__version__", "unknown")
    if version != PINNED_MOTO_VERSION:
        sys.stderr.write(
            f"kops6_moto: refusing to start: moto {version} is installed, but the "
            f"IPv6 patches in {os.path.basename(__file__)} are pinned to moto "
            f"{PINNED_MOTO_VERSION}. Install moto[server]=={PINNED_MOTO_VERSION} "
            "or re-verify and re-pin the patches.\n"
        )
        sys.exit(2)


# --------------------------------------------------------------------------
# Subnets
# --------------------------------------------------------------------------
def _patch_subnets() -> None:
    from moto.ec2.exceptions import InvalidParameterValueError
    from moto.ec2.models.subnets import Subnet, SubnetBackend
    from moto.ec2.responses.subnets import Subnets as SubnetsResponse

    # PATCH subnet-init: give every subnet the attributes DescribeSubnets must
    # return (enableDns64, and a per-subnet privateDnsNameOptionsOnLaunch).
    # AWS defaults: EnableDns64=false; hostname type "ip-name", except
    # IPv6-only subnets, which only support resource-based names
    # ("resource-name").
    orig_init = Subnet.__init__

    @functools.wraps(orig_init)
    def subnet_init(self: Any, *args: Any, **kwargs: Any) -> None:
        orig_init(self, *args, **kwargs)
        self.enable_dns64 = False
        if self.ipv6_native:
            self.private_dns_name_options_on_launch["HostnameType"] = "resource-name"

    Subnet.__init__ = subnet_init

    # PATCH gap 1 (ipv6CidrBlockState): moto renders a subnet's association
    # state as <ipv6CidrBlockState><state>{'State': 'associated'}</state>...
    # (a dict stringified into the <state> element), so the Terraform provider
    # never sees "associated" and times out after 3 minutes.  Render it like
    # AWS: <ipv6CidrBlockState><state>associated</state></ipv6CidrBlockState>.
    def ipv6_cidr_block_association_set(self: Any) -> list[dict[str, Any]]:
        result = []
        for association in self.ipv6_cidr_block_associations.values():
            state = association["ipv6CidrBlockState"]
            if isinstance(state, dict):
                state = state.get("State")
            if state != "associated":
                continue
            result.append(
                {
                    "ipv6CidrBlock": association["ipv6CidrBlock"],
                    "associationId": association["associationId"],
                    "ipv6CidrBlockState": {"State": state},
                }
            )
        return result

    Subnet.ipv6_cidr_block_association_set = property(ipv6_cidr_block_association_set)

    # PATCH gap 2 (AvailableIpAddressCount): moto counts the addresses of the
    # subnet's IPv6 /64 for IPv6-only subnets (2^64-5), which overflows the
    # provider's int32.  AWS reports only free IPv4 addresses, i.e. 0 for an
    # IPv6-only (ipv6Native) subnet.
    orig_count = Subnet.available_ip_address_count

    def available_ip_address_count(self: Any) -> int:
        if self.ipv6_native or not self.cidr_block:
            return 0
        return orig_count.fget(self)

    Subnet.available_ip_address_count = property(available_ip_address_count)

    # PATCH DescribeSubnets filters: the provider looks up subnet IPv6
    # associations with the filter ipv6-cidr-block-association.association-id
    # (moto: FilterNotImplementedError -> HTTP 500).  Add the documented
    # IPv6/attribute filters that moto lacks.
    orig_filter = Subnet.get_filter_value

    def subnet_get_filter_value(
        self: Any, filter_name: str, method_name: str | None = None
    ) -> Any:
        assocs = list(self.ipv6_cidr_block_associations.values())

        def _state(a: dict[str, Any]) -> Any:
            s = a["ipv6CidrBlockState"]
            return s.get("State") if isinstance(s, dict) else s

        if filter_name == "ipv6-cidr-block-association.association-id":
            return [a["associationId"] for a in assocs]
        if filter_name == "ipv6-cidr-block-association.ipv6-cidr-block":
            return [a["ipv6CidrBlock"] for a in assocs]
        if filter_name == "ipv6-cidr-block-association.state":
            return [_state(a) for a in assocs]
        if filter_name == "ipv6-native":
            return bool(self.ipv6_native)
        if filter_name == "enable-dns64":
            return bool(self.enable_dns64)
        if filter_name == "assign-ipv6-address-on-creation":
            return _truthy(self.assign_ipv6_address_on_creation)
        if filter_name == "map-public-ip-on-launch":
            return _truthy(self.map_public_ip_on_launch)
        if filter_name == "availability-zone-id":
            return self.availability_zone_id
        if filter_name == "available-ip-address-count":
            return str(self.available_ip_address_count)
        if filter_name == "owner-id":
            return self.owner_id
        if filter_name == "subnet-arn":
            return self.arn
        return orig_filter(self, filter_name, method_name)

    Subnet.get_filter_value = subnet_get_filter_value

    # PATCH gap 3 (ModifySubnetAttribute): moto handles only
    # MapPublicIpOnLaunch, AssignIpv6AddressOnCreation and
    # EnableResourceNameDnsARecordOnLaunch and silently drops EnableDns64,
    # EnableResourceNameDnsAAAARecordOnLaunch and PrivateDnsHostnameTypeOnLaunch,
    # so Terraform waits for them forever.  Store all of them; DescribeSubnets
    # returns enableDns64 and privateDnsNameOptionsOnLaunch from this state.
    def modify_subnet_attribute_response(self: Any) -> Any:
        from moto.core.responses import EmptyResult

        subnet_id = self._get_param("SubnetId")
        # Validate the subnet exists before touching anything.
        self.ec2_backend.get_subnet(subnet_id)
        for attribute in (
            "MapPublicIpOnLaunch",
            "AssignIpv6AddressOnCreation",
            "EnableDns64",
            "EnableResourceNameDnsARecordOnLaunch",
            "EnableResourceNameDnsAAAARecordOnLaunch",
        ):
            value = self._get_param(f"{attribute}.Value")
            if value is not None:
                self.ec2_backend.modify_subnet_attribute(
                    subnet_id, attribute, _truthy(value)
                )
        hostname_type = self._get_param("PrivateDnsHostnameTypeOnLaunch")
        if hostname_type is not None:
            self.ec2_backend.modify_subnet_attribute(
                subnet_id, "PrivateDnsHostnameTypeOnLaunch", hostname_type
            )
        return EmptyResult()

    SubnetsResponse.modify_subnet_attribute = modify_subnet_attribute_response

    orig_backend_modify = SubnetBackend.modify_subnet_attribute
    option_keys = {
        "EnableResourceNameDnsARecordOnLaunch": "EnableResourceNameDnsARecord",
        "EnableResourceNameDnsAAAARecordOnLaunch": "EnableResourceNameDnsAAAARecord",
    }

    def backend_modify_subnet_attribute(
        self: Any, subnet_id: str, attr_name: str, attr_value: Any
    ) -> None:
        subnet = self.get_subnet(subnet_id)
        if attr_name == "MapPublicIpOnLaunch":
            subnet.map_public_ip_on_launch = attr_value
        elif attr_name == "AssignIpv6AddressOnCreation":
            subnet.assign_ipv6_address_on_creation = attr_value
        elif attr_name == "EnableDns64":
            subnet.enable_dns64 = attr_value
        elif attr_name in option_keys:
            subnet.private_dns_name_options_on_launch[option_keys[attr_name]] = (
                attr_value
            )
        elif attr_name == "PrivateDnsHostnameTypeOnLaunch":
            # Same enum as the EC2 API (HostnameType).
            if attr_value not in ("ip-name", "resource-name"):
                raise InvalidParameterValueError(attr_value)
            subnet.private_dns_name_options_on_launch["HostnameType"] = attr_value
        else:
            # Old snake_case callers (e.g. other moto code paths).
            orig_backend_modify(self, subnet_id, attr_name, attr_value)

    SubnetBackend.modify_subnet_attribute = backend_modify_subnet_attribute


# --------------------------------------------------------------------------
# Network interfaces / instances in IPv6-only subnets
# --------------------------------------------------------------------------
def _patch_instances() -> None:
    from moto.ec2.models import elastic_network_interfaces as eni_mod
    from moto.ec2.models.instances import Instance
    from moto.ec2.models.subnets import Subnet
    from moto.ec2.responses.instances import InstanceResponse
    from moto.ec2.utils import random_private_ip

    # PATCH gap 4a: in an IPv6-only subnet moto's Instance.prep_nics takes the
    # instance's "private IPv4" from the subnet's IPv6 /64, then the ENI tries
    # to build an ip-a-b-c-d DNS name from it -> IndexError -> HTTP 500 when
    # the VPC has DNS hostnames enabled.  AWS gives such instances no private
    # IPv4 address at all.  While prep_nics runs for an IPv6-only subnet,
    # the subnet hands out no IPv4 address.
    orig_get_ip = Subnet.get_available_subnet_ip

    def get_available_subnet_ip(self: Any, instance: Any) -> Any:
        if self.ipv6_native and getattr(_tls, "ipv6_only_launch", False):
            return None
        return orig_get_ip(self, instance)

    Subnet.get_available_subnet_ip = get_available_subnet_ip

    orig_prep_nics = Instance.prep_nics

    def prep_nics(self: Any, nic_spec: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        ipv6_only = False
        if self.subnet_id:
            ipv6_only = bool(self.ec2_backend.get_subnet(self.subnet_id).ipv6_native)
        # RunInstances NetworkInterfaces.N.Ipv6AddressCount is ignored by
        # moto; honour it for the single-interface case.
        if kwargs.get("ipv6_address_count") is None and len(nic_spec) == 1:
            count = nic_spec[0].get("Ipv6AddressCount")
            if count is not None:
                kwargs["ipv6_address_count"] = int(count)
        _tls.ipv6_only_launch = ipv6_only
        try:
            orig_prep_nics(self, nic_spec, *args, **kwargs)
        finally:
            _tls.ipv6_only_launch = False
        self._private_ips.discard(None)

    Instance.prep_nics = prep_nics

    # PATCH gap 4b: ENIs in IPv6-only subnets get no IPv4 address (moto
    # invents a random 10.x one) and, like every ENI in a subnet with
    # AssignIpv6AddressOnCreation=true, get one IPv6 address from the subnet's
    # block when no explicit count is requested (moto assigns none).
    orig_eni_init = eni_mod.NetworkInterface.__init__

    @functools.wraps(orig_eni_init)
    def eni_init(self: Any, ec2_backend: Any, subnet: Any, *args: Any, **kwargs: Any) -> None:
        subnet_obj = ec2_backend.get_subnet(subnet) if isinstance(subnet, str) else subnet
        if subnet_obj is None:
            orig_eni_init(self, ec2_backend, subnet, *args, **kwargs)
            return
        ipv6_only = bool(getattr(subnet_obj, "ipv6_native", False))
        if ipv6_only:
            # An IPv6-only subnet has no IPv4 addresses to give out: reject an
            # explicit one instead of silently dropping it.
            requested_v4 = args[0] if args else kwargs.get("private_ip_address")
            if isinstance(requested_v4, list):
                requested_v4 = requested_v4[0] if requested_v4 else None
            if requested_v4:
                from moto.ec2.exceptions import InvalidParameterValueError

                raise InvalidParameterValueError(requested_v4)
        orig_eni_init(self, ec2_backend, subnet, *args, **kwargs)
        if ipv6_only:
            self.private_ip_address = None
            self.private_ip_addresses = []
            self.private_dns_name = None
        count_absent = kwargs.get("ipv6_address_count") is None or getattr(
            _tls, "eni_ipv6_count_absent", False
        )
        if (
            count_absent
            and not self.ipv6_addresses
            and _truthy(subnet_obj.assign_ipv6_address_on_creation)
            and subnet_obj.ipv6_cidr_block_associations
        ):
            block = ipv6_block_of(subnet_obj)
            if block:
                self.ipv6_addresses.append(random_ipv6_host(block))

    def ipv6_block_of(subnet_obj: Any) -> str | None:
        for assoc in subnet_obj.ipv6_cidr_block_associations.values():
            state = assoc["ipv6CidrBlockState"]
            state = state.get("State") if isinstance(state, dict) else state
            if state == "associated":
                return assoc["ipv6CidrBlock"]
        return None

    def random_ipv6_host(block: str) -> str:
        # AWS reserves the first four and the last address of each subnet.
        net = ipaddress.IPv6Network(block)
        while True:
            ip = ipaddress.IPv6Address(random_private_ip(block, ipv6=True))
            if int(ip) - int(net.network_address) > 3 and ip != net.broadcast_address:
                return str(ip)

    eni_mod.NetworkInterface.__init__ = eni_init

    # CreateNetworkInterface hands ipv6_address_count=0 to the model when the
    # parameter is absent; remember whether it was really absent so the rule
    # above also applies to standalone ENIs (aws_network_interface).
    from moto.ec2.responses.elastic_network_interfaces import (
        ElasticNetworkInterfaces,
    )

    orig_create_eni = ElasticNetworkInterfaces.create_network_interface

    def create_network_interface(self: Any) -> Any:
        _tls.eni_ipv6_count_absent = self._get_param("Ipv6AddressCount") is None
        try:
            return orig_create_eni(self)
        finally:
            _tls.eni_ipv6_count_absent = False

    ElasticNetworkInterfaces.create_network_interface = create_network_interface

    # PATCH gap 4c: Instance.private_dns_name did ip.replace(...) on the
    # (now absent) IPv4 address.  AWS uses the resource name
    # (i-0123456789abcdef0.ec2.internal) when the hostname type is
    # resource-name, which is the only option in IPv6-only subnets.
    def private_dns_name(self: Any) -> str:
        opts = getattr(self, "private_dns_name_options", None) or {}
        if opts.get("HostnameType") == "resource-name" or not self.private_ip:
            host = self.id
        else:
            host = "ip-" + self.private_ip.replace(".", "-")
        if self.region_name == "us-east-1":
            return f"{host}.ec2.internal"
        return f"{host}.{self.region_name}.compute.internal"

    Instance.private_dns_name = property(private_dns_name)

    # PATCH gap 4d: instances inherit PrivateDnsNameOptions from the subnet
    # (or take RunInstances' PrivateDnsNameOptions) and DescribeInstances
    # returns them; moto did neither.
    orig_instance_init = Instance.__init__

    @functools.wraps(orig_instance_init)
    def instance_init(self: Any, *args: Any, **kwargs: Any) -> None:
        orig_instance_init(self, *args, **kwargs)
        opts = {
            "HostnameType": "ip-name",
            "EnableResourceNameDnsARecord": False,
            "EnableResourceNameDnsAAAARecord": False,
        }
        if self.subnet_id:
            subnet = self.ec2_backend.get_subnet(self.subnet_id)
            opts.update(subnet.private_dns_name_options_on_launch)
        self.private_dns_name_options = opts

    Instance.__init__ = instance_init

    orig_run_instances = InstanceResponse.run_instances

    def run_instances(self: Any) -> Any:
        requested = self._get_param("PrivateDnsNameOptions") or {}
        result = orig_run_instances(self)
        if requested:
            for instance in result.result.instances:
                for key in (
                    "HostnameType",
                    "EnableResourceNameDnsARecord",
                    "EnableResourceNameDnsAAAARecord",
                ):
                    if requested.get(key) is not None:
                        value = requested[key]
                        if key != "HostnameType":
                            value = _truthy(value)
                        instance.private_dns_name_options[key] = value
        return result

    InstanceResponse.run_instances = run_instances


# --------------------------------------------------------------------------
# DHCP options
# --------------------------------------------------------------------------
def _patch_dhcp_options() -> None:
    from moto.ec2.responses.dhcp_options import DHCPOptions

    # PATCH gap 5: CreateDhcpOptions ignores TagSpecifications, so tags never
    # appear in DescribeDhcpOptions and Terraform plans a tag update on every
    # run.  Apply them on create like AWS does.
    orig_create = DHCPOptions.create_dhcp_options

    def create_dhcp_options(self: Any) -> Any:
        tags = self._parse_tag_specification("dhcp-options")  # validates type
        result = orig_create(self)
        dhcp = result.result["DhcpOptions"]
        if tags.get("dhcp-options"):
            dhcp.add_tags(tags["dhcp-options"])
        return result

    DHCPOptions.create_dhcp_options = create_dhcp_options


# --------------------------------------------------------------------------
# Launch templates
# --------------------------------------------------------------------------
def _patch_launch_templates() -> None:
    from moto.ec2.models.launch_templates import LaunchTemplateBackend

    # PATCH lt-tag-spec: CreateLaunchTemplate copies the request's own
    # TagSpecifications (ResourceType "launch-template", the tags of the
    # template itself) into the template's LaunchTemplateData, so
    # DescribeLaunchTemplateVersions returns a tag specification AWS never
    # would (AWS rejects "launch-template" inside LaunchTemplateData) and
    # Terraform plans to remove it on every run.  Keep it out of the data.
    orig_create = LaunchTemplateBackend.create_launch_template

    def create_launch_template(self: Any, name: str, description: str, template_data: dict, tag_spec: dict) -> Any:
        specs = template_data.get("TagSpecifications")
        if specs:
            template_data["TagSpecifications"] = [
                t for t in specs if t.get("ResourceType") != "launch-template"
            ]
        return orig_create(self, name, description, template_data, tag_spec)

    LaunchTemplateBackend.create_launch_template = create_launch_template

    # PATCH lt-version-user-data: CreateLaunchTemplateVersion keeps the
    # version's UserData as the plain request string, while CreateLaunchTemplate
    # parses it into moto's Base64EncodedString; an autoscaling group launching
    # from such a version then fails moto's own type assertion -> HTTP 500 on
    # UpdateAutoScalingGroup/CreateAutoScalingGroup.  AWS accepts the version
    # like the template's first.  Parse it the same way.
    from moto.core.types import Base64EncodedString
    from moto.ec2.models.launch_templates import LaunchTemplate
    from moto.ec2.utils import parse_user_data

    orig_create_version = LaunchTemplate.create_version

    def create_version(self: Any, data: dict, description: str) -> Any:
        user_data = data.get("UserData")
        if user_data is not None and not isinstance(user_data, Base64EncodedString):
            data["UserData"] = parse_user_data(user_data)
        return orig_create_version(self, data, description)

    LaunchTemplate.create_version = create_version

    # PATCH lt-launch-settings: an instance launched from a launch template
    # (RunInstances with LaunchTemplate, and so every autoscaling group's
    # instance) takes the template's image, type, user data and volumes but
    # ignores its NetworkInterfaces (security groups, Ipv6AddressCount,
    # AssociatePublicIpAddress) and its MetadataOptions: it gets the VPC's
    # default group, HttpTokens "optional" and the IPv6 metadata endpoint off.
    # AWS launches it with the template's interface and metadata settings
    # unless the request gives its own.
    from moto.ec2.models.instances import InstanceBackend

    orig_run = InstanceBackend.run_instances

    def run_instances(self: Any, image_id: str, count: int, user_data: Any, security_group_names: list, **kwargs: Any) -> Any:
        if kwargs.get("launch_template"):
            data = self._get_template_from_args(kwargs["launch_template"]).data
            if not kwargs.get("nics") and data.get("NetworkInterfaces"):
                nics = []
                for n in copy.deepcopy(data["NetworkInterfaces"]):
                    n.setdefault("DeviceIndex", 0)
                    # The template's data keeps query-string values: "false" is
                    # truthy to moto's ENI code.
                    for flag in ("AssociatePublicIpAddress", "DeleteOnTermination"):
                        if flag in n:
                            n[flag] = _truthy(n[flag])
                    nics.append(n)
                kwargs["nics"] = nics
            if not kwargs.get("metadata_options") and data.get("MetadataOptions"):
                kwargs["metadata_options"] = dict(data["MetadataOptions"])
        return orig_run(self, image_id, count, user_data, security_group_names, **kwargs)

    InstanceBackend.run_instances = run_instances


# --------------------------------------------------------------------------
# Load balancers (ELBv2)
# --------------------------------------------------------------------------
def _patch_load_balancers() -> None:
    from moto.elbv2.models import FakeLoadBalancer

    # PATCH nlb-scheme-default: CreateLoadBalancer without a Scheme (the
    # provider sends one only for internal = true) stores scheme None, so
    # DescribeLoadBalancers returns no Scheme.  AWS defaults to
    # "internet-facing".
    orig_init = FakeLoadBalancer.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        orig_init(self, *args, **kwargs)
        if not self.scheme:
            self.scheme = "internet-facing"

    FakeLoadBalancer.__init__ = init


# --------------------------------------------------------------------------
# Route53 hosted zone IDs
# --------------------------------------------------------------------------
def _patch_route53_zone_ids() -> None:
    from moto.route53.models import HostedZoneIdentifier

    # PATCH route53-zone-id: AWS hosted zone IDs start with "Z" (Z1RWWTK7Y8UDDQ,
    # as moto's own comment says); moto draws all 22 characters at random, so a
    # zone ID given as spec.dnsZone (`--dns-zone Z...`) is not told from a name.
    orig_generate = HostedZoneIdentifier.generate

    def generate(self: Any, *args: Any, **kwargs: Any) -> str:
        return "Z" + orig_generate(self, *args, **kwargs)[1:]

    HostedZoneIdentifier.generate = generate


# --------------------------------------------------------------------------
# Transit gateway attachments
# --------------------------------------------------------------------------
def _patch_transit_gateway_attachments() -> None:
    from moto.ec2.responses.transit_gateway_attachments import (
        TransitGatewayAttachment,
    )

    # PATCH tgw-attachment-tags: CreateTransitGatewayVpcAttachment reads its
    # TagSpecifications under the wrong resource type
    # ("transit-gateway-route-table" instead of "transit-gateway-attachment"),
    # so the tags are dropped and Terraform plans a tag update on every run.
    orig_create = TransitGatewayAttachment.create_transit_gateway_vpc_attachment

    def create_transit_gateway_vpc_attachment(self: Any) -> Any:
        tags = self._parse_tag_specification().get("transit-gateway-attachment", {})
        result = orig_create(self)
        if tags:
            result.result["TransitGatewayVpcAttachment"].add_tags(tags)
        return result

    TransitGatewayAttachment.create_transit_gateway_vpc_attachment = (
        create_transit_gateway_vpc_attachment
    )

    # PATCH tgw-attachment-deleted: AWS keeps a deleted VPC attachment visible
    # to DescribeTransitGatewayVpcAttachments in state "deleted" for a while,
    # and the provider's delete waiter polls by ID until it sees exactly that
    # state.  moto drops the attachment at once, so `terraform destroy` fails
    # with "couldn't find resource".  Remember deleted attachments and return
    # them when they are asked for by ID (not in unfiltered listings, so moto's
    # own duplicate-attachment check is unaffected).
    from moto.ec2.models.transit_gateway_attachments import (
        TransitGatewayAttachmentBackend,
    )

    orig_delete = TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment

    def delete_transit_gateway_vpc_attachment(self: Any, transit_gateway_attachment_id: str) -> Any:
        attachment = orig_delete(self, transit_gateway_attachment_id)
        if not hasattr(self, "kops6_deleted_tgw_attachments"):
            self.kops6_deleted_tgw_attachments = {}
        self.kops6_deleted_tgw_attachments[attachment.id] = attachment
        return attachment

    TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment = (
        delete_transit_gateway_vpc_attachment
    )

    orig_describe = TransitGatewayAttachmentBackend.describe_transit_gateway_vpc_attachments

    def describe_transit_gateway_vpc_attachments(
        self: Any, transit_gateways_attachment_ids: list[str] | None = None, filters: Any = None
    ) -> list[Any]:
        result = orig_describe(self, transit_gateways_attachment_ids, filters)
        deleted = getattr(self, "kops6_deleted_tgw_attachments", {})
        if transit_gateways_attachment_ids and deleted:
            from moto.utilities.utils import filter_resources

            extra = [
                deleted[i]
                for i in transit_gateways_attachment_ids
                if i in deleted and i not in self.transit_gateway_attachments
            ]
            if filters:
                # Same attribute map as moto's own implementation.
                extra = filter_resources(
                    extra,
                    filters,
                    (
                        ("state", "state"),
                        ("transit-gateway-attachment-id", "id"),
                        ("transit-gateway-id", "transit_gateway_id"),
                        ("vpc-id", "resource_id"),
                    ),
                )
            result = list(result) + extra
        return result

    TransitGatewayAttachmentBackend.describe_transit_gateway_vpc_attachments = (
        describe_transit_gateway_vpc_attachments
    )


# --------------------------------------------------------------------------
# Dispatch speed (behaviour unchanged)
# --------------------------------------------------------------------------
def _speed_up_dispatch() -> None:
    """Not behaviour fixes: two lookups moto repeats on every request although their answers
    cannot change while the server runs. Together they were about a quarter of moto's CPU time
    per call in the apply bench (py-spy), time a real AWS endpoint does not spend, and moto
    answers one call at a time, so it adds up along an apply."""
    from moto import backends
    from moto.core import responses

    # PATCH speed-module-list: DomainDispatcherApplication.get_application asks, under its
    # global lock, whether the Host header names a moto module, and list_of_moto_modules
    # answers by listing moto's package directory and stat-ing each of its ~200 entries.
    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules

    # PATCH speed-method-names: BaseResponse.call_action runs inspect.getmembers over the
    # response class (hundreds of members for EC2) to see whether the action is one of its
    # methods; a class's methods are fixed once the patches above are applied.
    responses.method_names_from_class = functools.cache(responses.method_names_from_class)


def apply_patches() -> None:
    _patch_subnets()
    _patch_instances()
    _patch_dhcp_options()
    _patch_launch_templates()
    _patch_load_balancers()
    _patch_route53_zone_ids()
    _patch_transit_gateway_attachments()
    _speed_up_dispatch()


# --------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------
def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --------------------------------------------------------------------------
# Image catalogue
# --------------------------------------------------------------------------
def _add_current_images() -> None:
    """Not a behaviour fix but a fixture: moto's built-in image list stops at Ubuntu 16.04, so
    kops6's default image (`099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305`,
    Canonical's owner ID and image name) matches nothing and `data "aws_ami"` fails.  Add that
    image to the catalogue every region loads.  The AMI ID is made up (moto invents IDs anyway);
    the owner, name, architecture and root device are what Canonical publishes."""
    from moto.ec2.models import amis

    amis.AMIS.append({
        "ami_id": "ami-0a404b0b1e24a0000",
        "state": "available",
        "public": True,
        "owner_id": "099720109477",
        "image_location": "099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305",
        "sriov": "simple",
        "root_device_type": "ebs",
        "root_device_name": "/dev/sda1",
        "description": "Canonical, Ubuntu, 24.04, amd64 noble image",
        "image_type": "machine",
        "platform": None,
        "architecture": "x86_64",
        "name": "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305",
        "virtualization_type": "hvm",
        "hypervisor": "xen",
        "creation_date": "2025-03-05T00:00:00.000Z",
    })


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("-p", "--port", type=int, default=0, help="port; 0 picks a free one (default 0)")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log every request to stderr (default: only errors, so a harness "
        "that pipes stderr without reading it cannot fill the pipe and stall the server)",
    )
    args = parser.parse_args(argv)

    if not _is_loopback(args.host):
        parser.error(f"--host {args.host!r} is not a loopback address; kops6_moto only binds loopback")

    check_moto_version()
    apply_patches()
    _add_current_images()

    import logging

    from werkzeug.serving import make_server

    # werkzeug logs each request at INFO; tracebacks of failed requests are
    # logged at ERROR and stay visible.
    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.WARNING)

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        create_backend_app,
    )

    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True  # type: ignore[attr-defined]  # same as moto_server
    server = make_server(args.host, args.port, app, threaded=True)
    port = server.server_port
    # moto builds some URLs (e.g. SQS queue URLs) from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)

    def _stop(signum: int, frame: Any) -> None:
        sys.stderr.write(f"kops6_moto: signal {signum} received, shutting down\n")
        sys.stderr.flush()
        # shutdown() blocks until serve_forever returns, so call it off-thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    sys.stdout.write(f"PORT={port}\n")
    sys.stdout.flush()
    sys.stderr.write(f"kops6_moto: moto {PINNED_MOTO_VERSION} (patched) listening on http://{args.host}:{port}\n")
    sys.stderr.flush()
    try:
        server.serve_forever()
    finally:
        server.server_close()
    sys.stderr.write("kops6_moto: stopped\n")


if __name__ == "__main__":
    main()
