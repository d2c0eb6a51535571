//! The API's Network load balancer, its TCP 443 listener and target group (SPEC 7), after
//! kOps' `pkg/model/awsmodel/api_loadbalancer.go`.

use kops6_api::types::{ClusterSubnetSpec, LoadBalancerClass, LoadBalancerType, SubnetType};

use crate::context::{aws_short_name, Ctx};
use crate::graph::{Key, Kind, Spec, Value, Why};
use crate::network::ModelError;
use crate::specs::{LoadBalancerSpec, TargetGroupSpec};

const LB_RULE: &str = "SPEC 7: the API load balancer";

/// The keys of the API load balancer and its target group.
pub(crate) struct ApiLoadBalancer {
    pub load_balancer: Key,
    pub target_group: Key,
}

impl<'a> Ctx<'a> {
    pub(crate) fn wants_api_load_balancer(&self) -> bool {
        self.spec
            .api
            .as_ref()
            .and_then(|a| a.load_balancer.as_ref())
            .is_some()
    }

    pub(crate) fn api_load_balancer(&mut self) -> Result<Option<ApiLoadBalancer>, ModelError> {
        let Some(lb) = self
            .spec
            .api
            .as_ref()
            .and_then(|a| a.load_balancer.as_ref())
        else {
            return Ok(None);
        };
        if lb.class == Some(LoadBalancerClass::Classic) {
            return Err(ModelError::Field {
                field: "spec.api.loadBalancer.class".into(),
                message: "Classic load balancers are not supported by kops6; use Network".into(),
            });
        }
        let internal = lb.lb_type == LoadBalancerType::Internal;
        let subnets = self.load_balancer_subnets(internal, "spec.api.loadBalancer.type")?;
        let dualstack = subnets.iter().all(|s| s.ipv6_cidr.is_some());
        let subnet_values: Vec<Value> = subnets.iter().map(|s| self.subnet_value(s)).collect();
        let mut security_groups = vec![Value::Ref(self.security_group_key("api-elb"))];
        security_groups.extend(
            lb.additional_security_groups
                .iter()
                .map(|g| Value::Shared(g.clone())),
        );
        let cross_zone = lb.cross_zone_load_balancing.unwrap_or(false);
        let family = if dualstack {
            "dualstack"
        } else {
            "IPv4 only: a subnet has no ipv6CIDR"
        };

        let tg_name = aws_short_name(&format!("tcp-{}", self.name));
        let target_group = self.push_tagged(
            Key::new(Kind::TargetGroup, tg_name.clone()),
            Spec::TargetGroup(TargetGroupSpec {
                aws_name: tg_name,
                vpc: self.vpc.clone(),
                port: 443,
                healthy_threshold: 2,
                unhealthy_threshold: 2,
                interval_seconds: 10,
                deregistration_delay_seconds: 30,
            }),
            Why::new(
                "spec.api.loadBalancer",
                format!("{LB_RULE}: TCP 443 to the control plane, TCP health check"),
            ),
        );
        let load_balancer = self.push_tagged(
            Key::new(Kind::LoadBalancer, self.named("api")),
            Spec::LoadBalancer(LoadBalancerSpec {
                aws_name: aws_short_name(&format!("api-{}", self.name)),
                internal,
                dualstack,
                subnets: subnet_values,
                security_groups,
                cross_zone,
            }),
            Why::new(
                "spec.api.loadBalancer",
                format!("{LB_RULE}: a Network load balancer, {family}"),
            ),
        );
        self.push(
            Key::new(Kind::Listener, format!("{}-443", self.named("api"))),
            Spec::Listener {
                load_balancer: Value::Ref(load_balancer.clone()),
                port: 443,
                target_group: Value::Ref(target_group.clone()),
            },
            Default::default(),
            Why::new(
                "spec.api.loadBalancer",
                format!("{LB_RULE}: listener TCP 443"),
            ),
        );
        Ok(Some(ApiLoadBalancer {
            load_balancer,
            target_group,
        }))
    }

    /// One subnet per zone: Utility, else Public, for a public load balancer; DualStack, else
    /// Private, for an internal one. Zones in the order the spec first names them. `field` is
    /// the spec field an error names.
    pub(crate) fn load_balancer_subnets(
        &self,
        internal: bool,
        field: &str,
    ) -> Result<Vec<&'a ClusterSubnetSpec>, ModelError> {
        let preference = if internal {
            [SubnetType::DualStack, SubnetType::Private]
        } else {
            [SubnetType::Utility, SubnetType::Public]
        };
        let mut zones: Vec<&str> = Vec::new();
        for s in &self.spec.subnets {
            if !zones.contains(&s.zone.as_str()) {
                zones.push(&s.zone);
            }
        }
        let chosen: Vec<&ClusterSubnetSpec> = zones
            .iter()
            .filter_map(|z| {
                preference.iter().find_map(|t| {
                    self.spec
                        .subnets
                        .iter()
                        .find(|s| s.zone == *z && s.subnet_type == *t)
                })
            })
            .collect();
        if chosen.is_empty() {
            let wanted = if internal {
                "DualStack or Private"
            } else {
                "Utility or Public"
            };
            return Err(ModelError::Field {
                field: field.into(),
                message: format!(
                    "the load balancer needs a {wanted} subnet, and the cluster has none"
                ),
            });
        }
        Ok(chosen)
    }
}
