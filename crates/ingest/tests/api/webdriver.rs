//! A real browser for the tests: Debian's headless Chromium driven through ChromeDriver's
//! W3C WebDriver endpoints (plain HTTP + JSON), so a test can fill a form, press a button and
//! read what the page shows after it reloads itself.
//!
//! `.ci/run` installs `chromium` and `chromium-driver`. Without them a test that needs the
//! browser fails and says what to install, unless `BUDGETFLOW_SKIP_BROWSER=1`.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};

/// The key under which WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A running ChromeDriver with one headless Chromium session; both end on drop.
pub struct Browser {
    driver: Child,
    http: reqwest::Client,
    session: String,
    base: String,
    _profile: tempfile::TempDir,
}

/// Whether browser tests are switched off on this machine (`BUDGETFLOW_SKIP_BROWSER=1`).
pub fn skipped() -> bool {
    if Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists() {
        return false;
    }
    if std::env::var("BUDGETFLOW_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("skipped: no chromium/chromedriver and BUDGETFLOW_SKIP_BROWSER=1");
        return true;
    }
    panic!(
        "this test needs a real browser: apt-get install chromium chromium-driver \
         (or set BUDGETFLOW_SKIP_BROWSER=1 to skip it)"
    );
}

impl Browser {
    /// Starts ChromeDriver on a free port and opens a headless Chromium session.
    pub async fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        // ChromeDriver answers /status once it listens
        let mut ready = false;
        for _ in 0..100 {
            if let Ok(r) = http.get(format!("{base}/status")).send().await {
                if r.status().is_success() {
                    ready = true;
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(ready, "chromedriver did not come up on port {port}");
        let profile = tempfile::tempdir().expect("a browser profile directory");
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,2000",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let created: Value = http
            .post(format!("{base}/session"))
            .json(&capabilities)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("session JSON");
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_owned();
        Browser {
            driver,
            http,
            session,
            base,
            _profile: profile,
        }
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut request = self.http.request(method, &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        if let Some(error) = answer["value"].get("error") {
            panic!("webdriver {path}: {error}: {}", answer["value"]["message"]);
        }
        answer["value"].clone()
    }

    /// Loads `url` and waits for the page.
    pub async fn goto(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    /// The element `css` selects, if the page has one.
    pub async fn find(&self, css: &str) -> Option<String> {
        let url = format!("{}/session/{}/elements", self.base, self.session);
        let found: Value = self
            .http
            .post(&url)
            .json(&json!({"using": "css selector", "value": css}))
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        found["value"]
            .as_array()?
            .first()?
            .get(ELEMENT_KEY)?
            .as_str()
            .map(str::to_owned)
    }

    /// Types `text` into the element `css` selects.
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await.unwrap_or_else(|| panic!("no {css}"));
        self.command(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    /// Clicks the element `css` selects.
    pub async fn click(&self, css: &str) {
        let element = self.find(css).await.unwrap_or_else(|| panic!("no {css}"));
        self.command(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            Some(json!({})),
        )
        .await;
    }

    /// The rendered text of the element `css` selects (None while the page has none).
    pub async fn text(&self, css: &str) -> Option<String> {
        let element = self.find(css).await?;
        let url = format!(
            "{}/session/{}/element/{element}/text",
            self.base, self.session
        );
        let answer: Value = self.http.get(&url).send().await.ok()?.json().await.ok()?;
        answer["value"].as_str().map(str::to_owned)
    }

    /// Waits until the element `css` selects reads `expected`: after a click that navigates, or
    /// while the page reloads itself, an element can be missing for a moment. Panics with what
    /// it last read after 30 s.
    pub async fn until_text(&self, css: &str, expected: &str) {
        let mut last = None;
        let wait = async {
            loop {
                last = self.text(css).await;
                if last.as_deref() == Some(expected) {
                    return;
                }
                // WebDriver has no event for "the page changed": this only paces the reading
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        };
        if tokio::time::timeout(std::time::Duration::from_secs(30), wait)
            .await
            .is_err()
        {
            panic!("{css} never read {expected:?}; last read {last:?}");
        }
    }

    /// The text of the alert, confirm or prompt dialog the page opened, if one is open
    /// (WebDriver answers "no such alert" otherwise).
    pub async fn open_dialog(&self) -> Option<String> {
        let url = format!("{}/session/{}/alert/text", self.base, self.session);
        let answer: Value = self.http.get(&url).send().await.ok()?.json().await.ok()?;
        match answer["value"].get("error").and_then(Value::as_str) {
            Some("no such alert") => None,
            Some(other) => panic!(
                "webdriver /alert/text: {other}: {}",
                answer["value"]["message"]
            ),
            None => Some(answer["value"].as_str().unwrap_or_default().to_owned()),
        }
    }

    /// How many elements `css` selects.
    pub async fn count(&self, css: &str) -> usize {
        self.command(
            reqwest::Method::POST,
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )
        .await
        .as_array()
        .map_or(0, Vec::len)
    }

    /// Saves a screenshot of the viewport as PNG.
    pub async fn screenshot(&self, path: &Path) {
        let shot = self
            .command(reqwest::Method::GET, "/screenshot", None)
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot.as_str().expect("base64 PNG"))
            .expect("a base64 screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot directory");
        }
        std::fs::write(path, png).expect("screenshot written");
    }
}

impl Browser {
    /// Ends the session (Chromium exits) and then the driver.
    pub async fn quit(self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = self.http.delete(&url).send().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
