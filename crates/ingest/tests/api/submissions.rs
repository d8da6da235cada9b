//! Submitting, resubmitting and following a submission to publication.

use budgetflow_ingest::api::{Limits, ROUTES};
use serde_json::Value;

use crate::support::*;

#[tokio::test]
async fn the_sample_goes_from_received_to_published_and_the_same_bytes_keep_their_id() {
    on_every_backend(Limits::default(), Pipeline::Embedded, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        let (status, accepted) = send(app.submit(&token, TEXT, SAMPLE)).await;
        assert_eq!(status, 202, "{accepted}");
        let id = accepted["id"].as_str().unwrap().to_owned();
        assert_eq!(accepted["version"], 1);
        assert_eq!(accepted["duplicate"], false);
        assert_eq!(accepted["fiscal_year"], 2025);
        let stored = app
            .ledger
            .content(id.parse().unwrap())
            .await
            .unwrap()
            .expect("the original bytes are stored before the answer");
        assert_eq!(stored, SAMPLE.as_bytes());

        let (status, again) = send(app.submit(&token, TEXT, SAMPLE)).await;
        assert_eq!(status, 202);
        assert_eq!(again["id"], id.as_str());
        assert_eq!(again["duplicate"], true);
        assert_eq!(again["version"], 1);

        let detail = wait_for_state(&app, &token, &id, "published", 10).await;
        assert_eq!(detail["department"], "miit");
        assert_eq!(detail["department_name"], SAMPLE_DEPARTMENT);
        assert_eq!(detail["findings"]["errors"], 0, "{}", detail["findings"]);
        assert!(detail["findings"]["findings"].is_array());
        assert!(detail["scores"].is_object(), "{}", detail["scores"]);
        assert!(
            detail["publication"]["artifact"]
                .as_str()
                .is_some_and(|artifact| !artifact.is_empty()),
            "{}",
            detail["publication"]
        );
        let states: Vec<_> = detail["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["state"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(states, ["received", "validated", "scored", "published"]);
        assert_eq!(app.rows().await[1], 1, "one submission however often sent");
        app
    })
    .await;
}

#[tokio::test]
async fn a_new_version_of_the_year_counts_up_and_json_is_accepted() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        let (_, first) = send(app.submit(&token, TEXT, SAMPLE)).await;
        let document = budgetflow_formats::text::read(SAMPLE.as_bytes()).unwrap();
        let json = budgetflow_formats::json::write(&document);
        let (status, second) = send(app.submit(&token, JSON, json)).await;
        assert_eq!(status, 202, "{second}");
        assert_ne!(second["id"], first["id"]);
        assert_eq!(second["version"], 2);

        let (status, listed) = send(app.get("/api/v1/submissions?year=2025", &token)).await;
        assert_eq!(status, 200);
        assert_eq!(listed["count"], 2);
        let (_, received) = send(app.get(
            "/api/v1/departments/miit/submissions?state=received",
            &token,
        ))
        .await;
        assert_eq!(received["count"], 2);
        let (_, published) = send(app.get("/api/v1/submissions?state=published", &token)).await;
        assert_eq!(published["count"], 0);
        let (_, other_year) = send(app.get("/api/v1/submissions?year=2024", &token)).await;
        assert_eq!(other_year["count"], 0);
        let (_, detail) = send(app.get(
            &format!("/api/v1/submissions/{}", second["id"].as_str().unwrap()),
            &token,
        ))
        .await;
        assert_eq!(detail["content_type"], "application/json");
        assert_eq!(detail["state"], "received");
        app
    })
    .await;
}

#[tokio::test]
async fn a_resubmission_shows_what_it_changed_since_the_version_before() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        let (_, first) = send(app.submit(&token, TEXT, SAMPLE)).await;
        // 表6 302 17 公务接待费 printed 0.40 instead of 0.30 (合计 and 公用经费)
        let changed = SAMPLE.replacen(
            "302\t17\t公务接待费\t0.30\t\t0.30",
            "302\t17\t公务接待费\t0.40\t\t0.40",
            1,
        );
        let (status, second) = send(app.submit(&token, TEXT, changed)).await;
        assert_eq!(status, 202, "{second}");
        let (first, second) = (
            first["id"].as_str().unwrap().to_owned(),
            second["id"].as_str().unwrap().to_owned(),
        );
        for query in ["", "?against=previous", &format!("?against={first}")] {
            let (status, body) =
                send(app.get(&format!("/api/v1/submissions/{second}/diff{query}"), &token)).await;
            assert_eq!(status, 200, "{query}: {body}");
            assert_eq!(body["old"]["id"], first.as_str());
            assert_eq!(body["new"]["version"], 2);
            let cells = body["diff"]["cells"].as_array().unwrap();
            assert_eq!(cells.len(), 2, "{cells:?}");
            for cell in cells {
                assert_eq!(cell["row"]["name"], "公务接待费", "{cell}");
                assert_eq!(cell["old"], "0.30");
                assert_eq!(cell["new"], "0.40");
            }
            assert!(body["diff"]["paragraphs"].as_array().unwrap().is_empty());
            let new_findings = body["diff"]["findings"]["new"].as_array().unwrap();
            assert!(
                new_findings.iter().any(|f| f["rule"] == "T6.hierarchy"),
                "{new_findings:?}"
            );
        }
        // the first version has none before it; a parameter it does not know is refused
        let (status, _) = send(app.get(&format!("/api/v1/submissions/{first}/diff"), &token)).await;
        assert_eq!(status, 404);
        let (status, _) = send(app.get(
            &format!("/api/v1/submissions/{second}/diff?since={first}"),
            &token,
        ))
        .await;
        assert_eq!(status, 400);
        // another department learns nothing
        let other = app.department("other", "乌鲁木齐市财政局").await;
        let (status, _) =
            send(app.get(&format!("/api/v1/submissions/{second}/diff"), &other)).await;
        assert_eq!(status, 404);
        app
    })
    .await;
}

#[tokio::test]
async fn the_filled_xlsx_template_is_read_like_the_text() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        let document = budgetflow_formats::text::read(SAMPLE.as_bytes()).unwrap();
        let workbook = budgetflow_workbook::write(&document).unwrap();
        let (status, accepted) = send(app.submit(&token, XLSX, workbook.clone())).await;
        assert_eq!(status, 202, "{accepted}");
        assert_eq!(accepted["fiscal_year"], 2025);
        let id: uuid::Uuid = accepted["id"].as_str().unwrap().parse().unwrap();
        assert_eq!(app.ledger.content(id).await.unwrap().unwrap(), workbook);
        let (_, detail) = send(app.get(&format!("/api/v1/submissions/{id}"), &token)).await;
        assert_eq!(detail["content_type"], XLSX);
        app
    })
    .await;
}

#[tokio::test]
async fn a_real_pdf_disclosure_is_read_with_its_template_and_stored_as_sent() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("commerce", "上海市普陀区商务委员会").await;
        let pdf = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/shanghai/putuo-commerce-unit-2025.pdf"
        ))
        .unwrap();
        let (status, accepted) = send(app.submit(&token, PDF, pdf.clone())).await;
        assert_eq!(status, 202, "{accepted}");
        assert_eq!(accepted["fiscal_year"], 2025);
        let id: uuid::Uuid = accepted["id"].as_str().unwrap().parse().unwrap();
        assert_eq!(app.ledger.content(id).await.unwrap().unwrap(), pdf);
        let (_, detail) = send(app.get(&format!("/api/v1/submissions/{id}"), &token)).await;
        assert_eq!(detail["content_type"], PDF);
        assert_eq!(detail["department_name"], "上海市普陀区商务委员会");
        app
    })
    .await;
}

#[tokio::test]
async fn every_route_is_served_and_described() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        for (method, path) in ROUTES {
            let path = path
                .replace("{id}", "00000000-0000-0000-0000-000000000000")
                .replace("{code}", "miit");
            let url = format!("{}{path}", app.url);
            let request = match method {
                "post" => app.client.post(url).header("content-type", TEXT).body(SAMPLE),
                _ => app.client.get(url),
            };
            let status = request.bearer_auth(&token).send().await.unwrap().status();
            assert!(
                status != 405 && (status != 404 || path.contains("0000")),
                "{method} {path}: {status}"
            );
        }
        let openapi: Value = app
            .client
            .get(format!("{}/openapi.json", app.url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(openapi["paths"]["/api/v1/submissions/{id}"]["get"].is_object());
        assert!(openapi["paths"]["/api/v1/submissions/{id}/diff"]["get"].is_object());
        let ready = app.client.get(format!("{}/health/ready", app.url)).send().await.unwrap();
        assert_eq!(ready.status(), 200);
        let metrics = app
            .client
            .get(format!("{}/metrics", app.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            metrics.contains("budgetflow_api_requests_total{route=\"/api/v1/submissions\",method=\"POST\",status=\"202\"}"),
            "{metrics}"
        );
        app
    })
    .await;
}
