//! Who may do what: no token or a wrong one is 401 everywhere; another department's
//! submissions are 404 everywhere, exactly like missing ones; the bureau reads all and
//! submits nothing.

use budgetflow_ingest::api::{Limits, ROUTES};

use crate::support::*;

const OTHER: &str = "乌鲁木齐市教育局";

#[tokio::test]
async fn requests_without_a_valid_token_are_401_on_every_api_route() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        let rotated = app
            .ledger
            .rotate_token(&budgetflow_ledger::DepartmentCode::new("miit").unwrap())
            .await
            .unwrap();
        let api_routes = ROUTES.iter().filter(|(_, path)| path.starts_with("/api/"));
        for (method, path) in api_routes {
            let url = format!(
                "{}{}",
                app.url,
                path.replace("{id}", "00000000-0000-0000-0000-000000000000")
                    .replace("{code}", "miit")
            );
            let request = || match *method {
                "post" => app
                    .client
                    .post(&url)
                    .header("content-type", TEXT)
                    .body(SAMPLE),
                _ => app.client.get(&url),
            };
            for (label, request) in [
                ("no header", request()),
                (
                    "not bearer",
                    request().header("authorization", "Basic bWlpdDp4"),
                ),
                ("unknown token", request().bearer_auth("bft_00")),
                ("rotated token", request().bearer_auth(&token)),
            ] {
                let (status, body) = send(request).await;
                assert_eq!(status, 401, "{method} {path} ({label}): {body}");
                assert_error(&body, "unauthorized");
            }
        }
        let (status, _) = send(app.get("/api/v1/submissions", rotated.expose())).await;
        assert_eq!(status, 200, "the new token works");
        assert_eq!(app.rows().await[1], 0, "nothing was stored");
        app
    })
    .await;
}

#[tokio::test]
async fn another_departments_submissions_are_404_on_every_endpoint() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let miit = app.department("miit", SAMPLE_DEPARTMENT).await;
        let edu = app.department("edu", OTHER).await;
        let (_, accepted) = send(app.submit(&miit, TEXT, SAMPLE)).await;
        let id = accepted["id"].as_str().unwrap();

        // Read one: 404, and the same body as for an id that does not exist.
        let (status, theirs) = send(app.get(&format!("/api/v1/submissions/{id}"), &edu)).await;
        assert_eq!(status, 404);
        let (_, missing) = send(app.get(
            "/api/v1/submissions/11111111-1111-1111-1111-111111111111",
            &edu,
        ))
        .await;
        assert_eq!(theirs, missing);
        assert_error(&theirs, "not_found");

        // List by department, either way: 404, like a department that does not exist.
        for path in [
            "/api/v1/submissions?department=miit",
            "/api/v1/departments/miit/submissions",
            "/api/v1/departments/miit/submissions?year=2025",
        ] {
            let (status, body) = send(app.get(path, &edu)).await;
            assert_eq!(status, 404, "{path}: {body}");
            let nowhere = path.replace("miit", "nowhere");
            assert_eq!(send(app.get(&nowhere, &edu)).await, (404, body), "{path}");
        }
        // List without a department: only its own.
        let (status, own) = send(app.get("/api/v1/submissions", &edu)).await;
        assert_eq!(status, 200);
        assert_eq!(own["count"], 0);

        // Submit another department's disclosure: refused, nothing stored.
        let before = app.rows().await;
        let (status, body) = send(app.submit(&edu, TEXT, format!("{SAMPLE}\n"))).await;
        assert_eq!(status, 403, "{body}");
        assert_error(&body, "department_mismatch");
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains(SAMPLE_DEPARTMENT));
        assert_eq!(app.rows().await, before);

        // The owner sees it everywhere.
        let (status, _) = send(app.get(&format!("/api/v1/submissions/{id}"), &miit)).await;
        assert_eq!(status, 200);
        let (_, listed) = send(app.get("/api/v1/departments/miit/submissions", &miit)).await;
        assert_eq!(listed["count"], 1);
        app
    })
    .await;
}

#[tokio::test]
async fn the_bureau_reads_every_department_and_submits_nothing() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let miit = app.department("miit", SAMPLE_DEPARTMENT).await;
        app.department("edu", OTHER).await;
        let bureau = app.bureau().await;
        let (_, accepted) = send(app.submit(&miit, TEXT, SAMPLE)).await;
        let id = accepted["id"].as_str().unwrap();

        let (status, detail) = send(app.get(&format!("/api/v1/submissions/{id}"), &bureau)).await;
        assert_eq!(status, 200);
        assert_eq!(detail["department"], "miit");
        let (_, all) = send(app.get("/api/v1/submissions", &bureau)).await;
        assert_eq!(all["count"], 1);
        let (_, of_miit) = send(app.get("/api/v1/departments/miit/submissions", &bureau)).await;
        assert_eq!(of_miit["count"], 1);
        let (_, of_edu) = send(app.get("/api/v1/submissions?department=edu", &bureau)).await;
        assert_eq!(of_edu["count"], 0);
        let (status, _) = send(app.get("/api/v1/departments/nowhere/submissions", &bureau)).await;
        assert_eq!(status, 404);

        let before = app.rows().await;
        let (status, body) = send(app.submit(&bureau, TEXT, format!("{SAMPLE}\n\n"))).await;
        assert_eq!(status, 403);
        assert_error(&body, "bureau_cannot_submit");
        assert_eq!(app.rows().await, before);
        app
    })
    .await;
}
