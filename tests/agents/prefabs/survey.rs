//! `Survey`: answers checked against their type, a retry message for one that does not fit, a
//! skip after too many, the score, and an early decline.

use serde_json::json;
use swml_server::agent::prefabs::{Survey, SurveyQuestion};
use swml_server::testing::function_in;

use super::{Conversation, harness, said, switched_off};

fn survey() -> Survey {
    Survey::new("csat", "/csat", "customer satisfaction survey")
        .question(SurveyQuestion::rating(
            "overall",
            "How satisfied are you, from 1 to 5?",
            1..=5,
        ))
        .question(SurveyQuestion::multiple_choice(
            "channel",
            "Did you reach us by phone, e-mail or chat?",
            ["phone", "e-mail", "chat"],
        ))
        .question(SurveyQuestion::yes_no(
            "recommend",
            "Would you recommend us?",
        ))
        .question(SurveyQuestion::open_text(
            "comment",
            "Anything else you want to tell us?",
        ))
}

#[tokio::test]
async fn a_survey_records_typed_answers_and_scores_them() {
    let harness = harness(survey().into_builder().unwrap());
    let document = harness.document_for_call("csat-1");
    let record = function_in(&document, "record_answer").unwrap();
    assert_eq!(
        record["parameters"]["properties"]["question_id"]["enum"],
        json!(["overall", "channel", "recommend", "comment"])
    );
    let mut call = Conversation::new(&harness, "csat-1");
    let reply = call
        .call(
            "record_answer",
            json!({"question_id": "overall", "answer": "Four."}),
        )
        .await;
    assert_eq!(
        said(&reply),
        "Recorded. Next question: Did you reach us by phone, e-mail or chat?"
    );
    call.call(
        "record_answer",
        json!({"question_id": "channel", "answer": "Chat"}),
    )
    .await;
    call.call(
        "record_answer",
        json!({"question_id": "recommend", "answer": "yeah"}),
    )
    .await;
    let last = call
        .call(
            "record_answer",
            json!({"question_id": "comment", "answer": " Quick help "}),
        )
        .await;
    assert!(said(&last).contains("The survey is complete"), "{last}");
    assert_eq!(switched_off(&last), ["record_answer", "decline_survey"]);
    assert_eq!(
        call.global["survey_answers"],
        json!({"overall": 4, "channel": "chat", "recommend": true, "comment": "Quick help"})
    );
    assert_eq!(
        call.global["survey_score"],
        json!({"points": 5, "out_of": 6})
    );
}

#[tokio::test]
async fn an_answer_that_does_not_fit_gets_a_spoken_retry_then_a_skip() {
    let harness = harness(survey().max_retries(1).into_builder().unwrap());
    let mut call = Conversation::new(&harness, "csat-2");
    let cases = [
        ("overall", "seven", "I need a number from 1 to 5."),
        (
            "channel",
            "fax",
            "Please choose one of: phone, e-mail, chat.",
        ),
        ("recommend", "maybe", "Just a yes or a no, please."),
        ("comment", "  ", "I did not catch an answer."),
    ];
    for (question, answer, hint) in cases {
        let reply = call
            .call(
                "record_answer",
                json!({"question_id": question, "answer": answer}),
            )
            .await;
        assert!(
            said(&reply).contains(&format!("\"{hint}\"")),
            "{question}: {reply}"
        );
        assert!(call.global.get("survey_answers").is_none(), "{question}");
    }
    let skipped = call
        .call(
            "record_answer",
            json!({"question_id": "overall", "answer": "0"}),
        )
        .await;
    assert!(
        said(&skipped).starts_with("Skipped after too many tries"),
        "{skipped}"
    );
    assert_eq!(call.global["survey_answers"]["overall"], json!(null));
    assert_eq!(
        call.global["survey_score"],
        json!({"points": 0, "out_of": 0})
    );
}

#[tokio::test]
async fn an_unknown_question_id_is_refused_by_the_schema_and_a_decline_ends_the_survey() {
    let harness = harness(survey().into_builder().unwrap());
    let unknown = harness
        .call_tool(
            "csat-3",
            "record_answer",
            json!({"question_id": "price", "answer": "5"}),
        )
        .await;
    assert!(
        said(&unknown).starts_with("Invalid arguments for 'record_answer'"),
        "{unknown}"
    );
    let declined = harness
        .call_tool("csat-3", "decline_survey", json!({}))
        .await;
    assert_eq!(switched_off(&declined), ["record_answer", "decline_survey"]);
    assert_eq!(
        declined["action"][0]["set_global_data"],
        json!({"survey_declined": true})
    );
}

#[test]
#[expect(
    clippy::reversed_empty_ranges,
    reason = "the empty range is the mistake under test"
)]
fn a_survey_with_an_empty_range_or_no_options_is_refused() {
    let empty_range = Survey::new("s", "/s", "survey")
        .question(SurveyQuestion::rating("r", "Rate", 5..=1))
        .into_builder()
        .err()
        .unwrap();
    assert_eq!(
        empty_range.to_string(),
        "agent 's': prefab 'survey': question 'r' has no valid answer"
    );
    let no_options = Survey::new("s", "/s", "survey")
        .question(SurveyQuestion::multiple_choice(
            "c",
            "Pick",
            Vec::<String>::new(),
        ))
        .into_builder()
        .err()
        .unwrap();
    assert_eq!(
        no_options.to_string(),
        "agent 's': prefab 'survey': question 'c' has no valid answer"
    );
}
