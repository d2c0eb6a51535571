# kops6 reference network: IPv6-first Kubernetes cluster VPC, applied against
# moto_server started by testsupport/moto/kops6_moto.py.
#
#   terraform apply -var moto_endpoint=http://127.0.0.1:<PORT>

variable "moto_endpoint" {
  description = "Base URL of the kops6 moto launcher, e.g. http://127.0.0.1:5000 (loopback only)"
  type        = string
}

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true

  endpoints {
    ec2 = var.moto_endpoint
    iam = var.moto_endpoint
    sts = var.moto_endpoint
  }

  default_tags {
    tags = {
      "KubernetesCluster"                      = "ipv6.example.com"
      "kubernetes.io/cluster/ipv6.example.com" = "owned"
    }
  }
}

locals {
  cluster = "ipv6.example.com"
  az      = "us-east-1a"
}

# ---------------------------------------------------------------- VPC
resource "aws_vpc" "main" {
  cidr_block                       = "172.20.0.0/16"
  assign_generated_ipv6_cidr_block = true
  enable_dns_hostnames             = true
  enable_dns_support               = true
  tags = {
    Name = local.cluster
  }
}

resource "aws_vpc_dhcp_options" "main" {
  domain_name         = "ec2.internal"
  domain_name_servers = ["AmazonProvidedDNS"]
  tags = {
    Name = local.cluster
  }
}

resource "aws_vpc_dhcp_options_association" "main" {
  vpc_id          = aws_vpc.main.id
  dhcp_options_id = aws_vpc_dhcp_options.main.id
}

# ---------------------------------------------------------------- subnets
# IPv6-only (ipv6Native) subnet for nodes/pods.
resource "aws_subnet" "ipv6_only" {
  vpc_id                                         = aws_vpc.main.id
  availability_zone                              = local.az
  ipv6_native                                    = true
  ipv6_cidr_block                                = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 0)
  assign_ipv6_address_on_creation                = true
  enable_dns64                                   = true
  enable_resource_name_dns_aaaa_record_on_launch = true
  private_dns_hostname_type_on_launch            = "resource-name"
  tags = {
    Name                              = "${local.az}.${local.cluster}"
    SubnetType                        = "Private"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

# Dual-stack private subnet.
resource "aws_subnet" "private" {
  vpc_id                                         = aws_vpc.main.id
  availability_zone                              = local.az
  cidr_block                                     = "172.20.32.0/19"
  ipv6_cidr_block                                = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation                = true
  enable_dns64                                   = true
  enable_resource_name_dns_a_record_on_launch    = true
  enable_resource_name_dns_aaaa_record_on_launch = true
  private_dns_hostname_type_on_launch            = "resource-name"
  tags = {
    Name                              = "private-${local.az}.${local.cluster}"
    SubnetType                        = "DualStack"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

# Dual-stack utility (public) subnet, hosts the NAT gateway.
resource "aws_subnet" "utility" {
  vpc_id                                         = aws_vpc.main.id
  availability_zone                              = local.az
  cidr_block                                     = "172.20.0.0/22"
  ipv6_cidr_block                                = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 2)
  assign_ipv6_address_on_creation                = true
  enable_resource_name_dns_a_record_on_launch    = true
  enable_resource_name_dns_aaaa_record_on_launch = true
  private_dns_hostname_type_on_launch            = "resource-name"
  tags = {
    Name                     = "utility-${local.az}.${local.cluster}"
    SubnetType               = "Utility"
    "kubernetes.io/role/elb" = "1"
  }
}

# ---------------------------------------------------------------- gateways
resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
  tags = {
    Name = local.cluster
  }
}

resource "aws_egress_only_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
  tags = {
    Name = local.cluster
  }
}

resource "aws_eip" "nat" {
  domain = "vpc"
  tags = {
    Name = "${local.az}.${local.cluster}"
  }
  depends_on = [aws_internet_gateway.main]
}

resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.utility.id
  tags = {
    Name = "${local.az}.${local.cluster}"
  }
  depends_on = [aws_internet_gateway.main]
}

# ---------------------------------------------------------------- routing
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  tags = {
    Name                      = local.cluster
    "kubernetes.io/kops/role" = "public"
  }
}

resource "aws_route" "public_ipv4_default" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main.id
}

resource "aws_route" "public_ipv6_default" {
  route_table_id              = aws_route_table.public.id
  destination_ipv6_cidr_block = "::/0"
  gateway_id                  = aws_internet_gateway.main.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  tags = {
    Name                      = "private-${local.az}.${local.cluster}"
    "kubernetes.io/kops/role" = "private-${local.az}"
  }
}

resource "aws_route" "private_ipv4_default" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.main.id
}

resource "aws_route" "private_ipv6_default" {
  route_table_id              = aws_route_table.private.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.main.id
}

# DNS64/NAT64: well-known prefix goes to the NAT gateway.
resource "aws_route" "private_nat64" {
  route_table_id              = aws_route_table.private.id
  destination_ipv6_cidr_block = "64:ff9b::/96"
  nat_gateway_id              = aws_nat_gateway.main.id
}

resource "aws_route_table_association" "utility" {
  subnet_id      = aws_subnet.utility.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "ipv6_only" {
  subnet_id      = aws_subnet.ipv6_only.id
  route_table_id = aws_route_table.private.id
}

output "vpc_id" { value = aws_vpc.main.id }
output "vpc_ipv6_cidr_block" { value = aws_vpc.main.ipv6_cidr_block }
output "ipv6_only_subnet_id" { value = aws_subnet.ipv6_only.id }
output "private_subnet_id" { value = aws_subnet.private.id }
output "utility_subnet_id" { value = aws_subnet.utility.id }
