//! kOps' own integration inputs, read from a directory outside the repository (they are not
//! copied here). Run with
//! `KOPS6_KOPS_INPUTS=<dir of *.yaml> cargo test -p kops6-api --test kops_inputs -- --ignored --nocapture`.

use kops6_api::validate::ValidationContext;
use kops6_api::{parse_documents, write_documents, ClusterSpecSet, Format};

#[test]
#[ignore = "needs KOPS6_KOPS_INPUTS: a directory of kOps integration inputs"]
fn kops_integration_inputs_load_and_round_trip() {
    let dir = std::env::var("KOPS6_KOPS_INPUTS").expect("KOPS6_KOPS_INPUTS");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let (mut loaded, mut round_tripped, mut valid, mut accepted) = (0, 0, 0, 0);
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy();
        let text = std::fs::read_to_string(path).expect("read");
        let docs = match parse_documents(&text) {
            Ok(d) => d,
            Err(e) => {
                println!("LOAD FAIL {name}: {e}");
                continue;
            }
        };
        loaded += 1;
        let once = write_documents(&docs, Format::Yaml).expect("write");
        let again = parse_documents(&once).expect("reparse");
        let twice = write_documents(&again, Format::Yaml).expect("write again");
        if again == docs && once == twice {
            round_tripped += 1;
        } else {
            println!("ROUND TRIP FAIL {name}");
        }
        let set = match ClusterSpecSet::from_documents(docs) {
            Ok(set) => set,
            Err(e) => {
                println!("INVALID {name}: {}", e.to_string().replace('\n', " | "));
                continue;
            }
        };
        let checked = set.check(&ValidationContext::default());
        let review = kops6_api::support::review(&set.cluster, &set.instance_groups);
        for w in review.warnings() {
            println!("WARN {name}: {w}");
        }
        for r in &review.refused {
            println!("REFUSED {name}: {r}");
        }
        match checked {
            Ok(_) => {
                valid += 1;
                if review.refused.is_empty() {
                    accepted += 1;
                }
            }
            Err(e) => println!("INVALID {name}: {}", e.to_string().replace('\n', " | ")),
        }
    }
    println!(
        "{} files: {loaded} load, {round_tripped} round-trip, {valid} pass kops6 validation, \
         {accepted} of those with no refused field",
        paths.len()
    );
}
