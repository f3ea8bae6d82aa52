//! `Receptionist`: one transfer tool over the departments, run by the platform: a number is
//! connected, a SWML URL transferred to.

use serde_json::json;
use swml_server::agent::prefabs::{Department, Destination, Receptionist};
use swml_server::testing::{assert_valid_embedded_swml, function_in};

use super::{harness, said};

fn front_desk() -> Receptionist {
    Receptionist::new(
        "front_desk",
        "/front-desk",
        "Thank you for calling Example Corp.",
    )
    .department(Department::new(
        "Sales",
        "buying and prices",
        Destination::Number("+15550100001".into()),
    ))
    .department(Department::new(
        "support",
        "problems",
        Destination::Swml("https://agents.example.com/support".into()),
    ))
}

#[tokio::test]
async fn the_receptionist_transfers_to_the_department_named() {
    let harness = harness(front_desk().into_builder().unwrap());
    assert_eq!(harness.agent().tool_names(), ["transfer_call"]);
    let document = harness.document_for_call("desk-1");
    let transfer = function_in(&document, "transfer_call").unwrap();
    let expressions = transfer["data_map"]["expressions"].as_array().unwrap();
    assert_eq!(expressions[0]["pattern"], json!("(?i)^Sales$"));
    let sales = &expressions[0]["output"];
    assert_eq!(
        sales["response"],
        json!("Connecting you now. Your call goes to Sales.")
    );
    assert_eq!(
        sales["action"][0]["SWML"]["sections"]["main"][0]["connect"]["to"],
        json!("+15550100001")
    );
    let support = &expressions[1]["output"]["action"][0];
    assert_eq!(support["transfer_uri"], json!(null), "{support}");
    assert!(
        support
            .to_string()
            .contains("https://agents.example.com/support"),
        "{support}"
    );
    for expression in expressions {
        assert_valid_embedded_swml(&expression["output"]["action"][0]);
    }
    let prompt = document.to_string();
    assert!(prompt.contains("Thank you for calling Example Corp."));
    assert!(prompt.contains("support: problems"));
    let reply = harness
        .call_tool("desk-1", "transfer_call", json!({"department": "sales"}))
        .await;
    assert!(said(&reply).contains("executed by the platform"), "{reply}");
}

#[test]
fn a_receptionist_without_departments_or_with_a_relative_swml_route_is_refused() {
    let empty = Receptionist::new("desk", "/desk", "Hello")
        .into_builder()
        .err()
        .unwrap();
    assert_eq!(
        empty.to_string(),
        "agent 'desk': prefab 'receptionist': at least one department is needed"
    );
    let relative = Receptionist::new("desk", "/desk", "Hello")
        .department(Department::new(
            "sales",
            "sales",
            Destination::Swml("/sales".into()),
        ))
        .into_builder()
        .err()
        .unwrap();
    assert_eq!(
        relative.to_string(),
        "agent 'desk': prefab 'receptionist': department 'sales': \"/sales\" is not an http(s) URL"
    );
}
