//! `deploy/` cannot rot: every YAML and JSON file parses, and the names in it are the ones
//! the code uses (queues, routing keys, delivery limit, binaries, health endpoints).

use std::path::{Path, PathBuf};

use budgetflow_bus::topology::DEFAULT_DELIVERY_LIMIT;
use budgetflow_bus::{Topology, WorkQueue};
use serde_yaml::Value;

const STAGES: [&str; 4] = ["ingest", "validate", "score", "publish"];

fn deploy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every document of a (multi-document) YAML file, merge keys applied.
fn yaml_documents(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::Deserializer::from_str(&text)
        .map(|document| {
            let mut value = serde::Deserialize::deserialize(document)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Value::apply_merge(&mut value).unwrap();
            value
        })
        .collect()
}

fn str_at<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    let mut at = value;
    for key in path {
        at = &at[*key];
    }
    at.as_str()
        .unwrap_or_else(|| panic!("no string at {path:?} in {value:?}"))
}

#[test]
fn every_yaml_and_json_file_parses() {
    let mut all = Vec::new();
    files(&deploy_dir(), &mut all);
    let mut parsed = 0;
    for path in &all {
        match path.extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => {
                assert!(!yaml_documents(path).is_empty(), "{}", path.display());
                parsed += 1;
            }
            Some("json") => {
                let text = std::fs::read_to_string(path).unwrap();
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                parsed += 1;
            }
            _ => {}
        }
    }
    assert!(
        parsed >= 8,
        "deploy/ has its compose file, manifests and definitions"
    );
}

#[test]
fn the_dockerfile_builds_every_binary() {
    let dockerfile = std::fs::read_to_string(deploy_dir().join("Dockerfile")).unwrap();
    assert!(dockerfile.contains("target/release/budgetflow "));
    for stage in STAGES {
        assert!(
            dockerfile.contains(&format!("-p budgetflow-{stage}")),
            "{stage}"
        );
        assert!(
            dockerfile.contains(&format!("budgetflow-{stage}/stage")),
            "{stage}"
        );
        assert!(
            dockerfile.contains(&format!("target/release/budgetflow-{stage}")),
            "{stage}"
        );
    }
}

#[test]
fn compose_runs_the_broker_the_database_and_each_stage_with_replicas() {
    let compose = &yaml_documents(&deploy_dir().join("docker-compose.yml"))[0];
    let services = &compose["services"];
    assert!(str_at(services, &["rabbitmq", "image"]).contains("management"));
    assert!(str_at(services, &["postgres", "image"]).starts_with("postgres"));
    for stage in STAGES {
        let service = &services[stage];
        assert_eq!(
            service["command"][0].as_str(),
            Some(format!("budgetflow-{stage}").as_str())
        );
        assert!(str_at(service, &["environment", "BUDGETFLOW__AMQP__URL"]).starts_with("amqp://"));
        assert!(!service["deploy"]["replicas"].is_null(), "{stage} replicas");
        let health = serde_yaml::to_string(&service["healthcheck"]["test"]).unwrap();
        assert!(health.contains("/health/ready"), "{stage}: {health}");
    }
}

#[test]
fn kubernetes_has_a_probed_deployment_per_stage_and_a_keda_scaler_per_queue() {
    let dir = deploy_dir().join("k8s");
    for stage in STAGES {
        let documents = yaml_documents(&dir.join(format!("{stage}.yaml")));
        let deployment = documents
            .iter()
            .find(|d| d["kind"] == "Deployment")
            .unwrap_or_else(|| panic!("{stage}: a Deployment"));
        let name = str_at(deployment, &["metadata", "name"]);
        assert_eq!(name, format!("budgetflow-{stage}"));
        let container = &deployment["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(container["command"][0].as_str(), Some(name));
        assert_eq!(
            str_at(container, &["livenessProbe", "httpGet", "path"]),
            "/health/live"
        );
        assert_eq!(
            str_at(container, &["readinessProbe", "httpGet", "path"]),
            "/health/ready"
        );
        assert_eq!(container["ports"][0]["containerPort"].as_u64(), Some(9090));
        let grace = deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
            .as_u64()
            .unwrap();
        assert!(grace > 25, "grace period longer than the shutdown deadline");

        let queue = match stage {
            "validate" => WorkQueue::Validate,
            "score" => WorkQueue::Score,
            "publish" => WorkQueue::Publish,
            _ => continue,
        };
        let scaler = documents
            .iter()
            .find(|d| d["kind"] == "ScaledObject")
            .unwrap_or_else(|| panic!("{stage}: a ScaledObject"));
        assert_eq!(str_at(scaler, &["spec", "scaleTargetRef", "name"]), name);
        let trigger = &scaler["spec"]["triggers"][0];
        assert_eq!(trigger["type"].as_str(), Some("rabbitmq"));
        assert_eq!(str_at(trigger, &["metadata", "protocol"]), "http");
        assert_eq!(
            str_at(trigger, &["metadata", "queueName"]),
            Topology::default().queue_name(queue)
        );
        assert_eq!(str_at(trigger, &["metadata", "mode"]), "QueueLength");
    }
}

#[test]
fn rabbitmq_definitions_match_the_topology_the_code_declares() {
    let text = std::fs::read_to_string(deploy_dir().join("rabbitmq/definitions.json")).unwrap();
    let definitions: serde_json::Value = serde_json::from_str(&text).unwrap();
    let topology = Topology::default();
    let exchange = |name: &str| {
        definitions["exchanges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("exchange {name}"))
            .clone()
    };
    assert_eq!(exchange(topology.exchange())["type"], "topic");
    assert_eq!(exchange(&topology.dead_letter_exchange())["type"], "fanout");
    let queues = definitions["queues"].as_array().unwrap();
    let bindings = definitions["bindings"].as_array().unwrap();
    for queue in WorkQueue::ALL {
        let name = topology.queue_name(queue);
        let declared = queues
            .iter()
            .find(|q| q["name"] == name.as_str())
            .unwrap_or_else(|| panic!("queue {name}"));
        assert_eq!(declared["durable"], true);
        let arguments = &declared["arguments"];
        assert_eq!(arguments["x-queue-type"], "quorum");
        assert_eq!(arguments["x-delivery-limit"], DEFAULT_DELIVERY_LIMIT);
        assert_eq!(
            arguments["x-dead-letter-exchange"],
            topology.dead_letter_exchange().as_str()
        );
        let mut declared_bindings: Vec<&str> = bindings
            .iter()
            .filter(|b| b["source"] == topology.exchange() && b["destination"] == name.as_str())
            .map(|b| b["routing_key"].as_str().unwrap())
            .collect();
        declared_bindings.sort_unstable();
        let mut expected = queue.bindings();
        expected.sort_unstable();
        assert_eq!(declared_bindings, expected, "bindings of {name}");
    }
    let dead = topology.dead_letter_queue();
    let ledger_dead = topology.ledger_dead_letter_queue();
    for name in [&dead, &ledger_dead] {
        assert!(
            queues.iter().any(|q| q["name"] == name.as_str()),
            "queue {name}"
        );
        assert!(
            bindings
                .iter()
                .any(|b| b["source"] == topology.dead_letter_exchange().as_str()
                    && b["destination"] == name.as_str()),
            "{name} bound to the dead-letter exchange"
        );
    }
    // the ledger's copy drops what it cannot take after the limit: no way back to the DLX
    let ledger_dead = queues
        .iter()
        .find(|q| q["name"] == ledger_dead.as_str())
        .unwrap();
    assert_eq!(ledger_dead["durable"], true);
    assert_eq!(ledger_dead["arguments"]["x-queue-type"], "quorum");
    assert_eq!(
        ledger_dead["arguments"]["x-delivery-limit"],
        DEFAULT_DELIVERY_LIMIT
    );
    assert!(ledger_dead["arguments"]
        .get("x-dead-letter-exchange")
        .is_none());
    let policies = definitions["policies"].as_array().unwrap();
    assert!(!policies.is_empty());
    let work_queues: Vec<&str> = WorkQueue::ALL.iter().map(|q| q.suffix()).collect();
    for policy in policies {
        if policy["definition"].get("dead-letter-exchange").is_some() {
            assert_eq!(
                policy["pattern"],
                format!(r"^{}\.({})$", topology.prefix(), work_queues.join("|")),
                "a policy giving a dead-letter exchange names exactly the work queues"
            );
        }
    }
}
