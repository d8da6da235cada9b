//! The sample's page (and a PDF's, of another template) in a real browser: headless Chromium
//! loads it from a local HTTP server, its DOM is read back and every table's rows counted
//! against the model, and a screenshot of the sample's page is saved to `target/publish-screenshot.png` for a person to look at.
//!
//! Needs Debian's `chromium` (`apt-get install -y chromium fonts-noto-cjk`; `.ci/run` installs
//! it). Without it the test fails saying so, unless `BUDGETFLOW_SKIP_BROWSER=1`.
//!
//! [`WebDriver`] drives the same Chromium through ChromeDriver (`chromium-driver`) for the tests
//! that click and look for dialogs (`super::hostile_fields`), over plain HTTP + JSON; [`serve_files`]
//! serves a small site, optionally with a `Content-Security-Policy`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use budgetflow_model::{Document, Lang, TableKind};
use budgetflow_publish::html;
use scraper::Html;
use serde_json::{json, Value};

use super::{sample, select};

/// The browser, or `None` when the test is told to skip; fails when it is missing otherwise.
fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() && std::env::var("BUDGETFLOW_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!(
            "skipping the browser test: chromium is not installed (BUDGETFLOW_SKIP_BROWSER=1)"
        );
        return None;
    }
    Some(found.unwrap_or_else(|| {
        panic!(
            "the browser test needs Chromium at /usr/bin/chromium: install it with \
             `apt-get install -y chromium fonts-noto-cjk`, or set BUDGETFLOW_SKIP_BROWSER=1 to skip"
        )
    }))
}

/// Serves `page` at `/` on an ephemeral port, from a thread that lives as long as the test.
fn serve(page: String) -> SocketAddr {
    serve_files(
        vec![
            ("/".to_string(), page.clone()),
            ("/index.html".to_string(), page),
        ],
        None,
    )
}

/// Serves each `(path, html)` of `files` on an ephemeral port, with `csp` as the
/// `Content-Security-Policy` when given, from a thread that lives as long as the test.
pub(super) fn serve_files(files: Vec<(String, String)>, csp: Option<&'static str>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("an ephemeral port");
    let addr = listener.local_addr().expect("a local address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let path = String::from_utf8_lossy(&request)
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .to_string();
            let (status, body) = match files.iter().find(|(p, _)| *p == path) {
                Some((_, page)) => ("200 OK", page.as_bytes()),
                None => ("404 Not Found", &b"not found"[..]),
            };
            let policy = csp
                .map(|csp| format!("Content-Security-Policy: {csp}\r\n"))
                .unwrap_or_default();
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n{policy}\
                 X-Content-Type-Options: nosniff\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body);
        }
    });
    addr
}

/// Runs Chromium headless with `args` and the page's URL; fails after a minute.
fn run_chromium(chromium: &Path, url: &str, args: &[&str]) -> Output {
    let profile = tempfile::tempdir().expect("a temporary profile directory");
    let child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let output = rx
        .recv_timeout(Duration::from_secs(90))
        .unwrap_or_else(|_| {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("chromium did not finish within 90 s")
        })
        .expect("chromium ran");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The body rows each table's `tbody` must have, from the model.
fn expected_rows(doc: &Document, kind: TableKind) -> usize {
    let t = &doc.tables;
    let or_statement = |n: usize| n.max(1);
    match kind {
        TableKind::Overall => t.overall.as_ref().map_or(0, |x| {
            let total = x.revenue_total.is_some() || x.expenditure_total.is_some();
            or_statement(x.revenue.len().max(x.expenditure.len()) + usize::from(total))
        }),
        TableKind::Revenue => t.revenue.as_ref().map_or(0, |x| or_statement(x.rows.len())),
        TableKind::Expenditure => t
            .expenditure
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::Appropriation => t
            .appropriation
            .as_ref()
            .map_or(0, |x| x.revenue.len().max(x.expenditure.len()) + 1),
        TableKind::GeneralBudget => t
            .general_budget
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::Basic => t.basic.as_ref().map_or(0, |x| or_statement(x.rows.len())),
        TableKind::Projects => t
            .projects
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::GovFund => t
            .gov_fund
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::SoeCapital => t
            .soe_capital
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::ThreePublic => t
            .three_public
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::CarryOver => t
            .carry_over
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
    }
}

#[test]
fn chromium_renders_every_table_row_and_takes_a_screenshot() {
    let Some(chromium) = chromium() else { return };
    let doc = sample();
    let url = format!("http://{}/", serve(html::page(&doc, Lang::Zh)));

    let dom = run_chromium(&chromium, &url, &["--dump-dom"]);
    let dom = String::from_utf8(dom.stdout).expect("the DOM is UTF-8");
    let page = Html::parse_document(&dom);
    let title = page
        .select(&select("h1"))
        .next()
        .expect("the page rendered");
    assert_eq!(title.text().collect::<String>(), "乌鲁木齐市工业和信息化局");
    let mut total = 0;
    for kind in TableKind::ALL {
        let n = kind.standard_number();
        let rows = page
            .select(&select(&format!("section#table-{n} tbody tr")))
            .count();
        let expected = expected_rows(&doc, kind);
        assert!(expected > 0, "表{n} is in the sample");
        assert_eq!(rows, expected, "表{n}: rows in the browser's DOM");
        total += rows;
    }
    assert!(total > 150, "{total} rows");
    assert_eq!(
        page.select(&select("section#charts svg[role=\"img\"]"))
            .count(),
        2,
        "both charts are in the DOM"
    );

    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    std::fs::create_dir_all(&target).expect("the target directory");
    let screenshot = target.join("publish-screenshot.png");
    let _ = std::fs::remove_file(&screenshot);
    run_chromium(
        &chromium,
        &url,
        &[
            &format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,4000",
            "--hide-scrollbars",
        ],
    );
    let png = std::fs::read(&screenshot).expect("chromium wrote the screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(png.len() > 50_000, "{} bytes: the page is drawn", png.len());
}

/// The page of a PDF of another template (the Shanghai 9-table one) in the browser: every
/// table under the number the PDF prints, with every row of the model's table in its DOM.
#[test]
fn chromium_renders_every_row_of_a_pdfs_tables() {
    let Some(chromium) = chromium() else { return };
    let doc = super::template::commerce();
    let url = format!("http://{}/", serve(html::page(doc, Lang::Zh)));
    let dom = run_chromium(&chromium, &url, &["--dump-dom"]);
    let dom = String::from_utf8(dom.stdout).expect("the DOM is UTF-8");
    let page = Html::parse_document(&dom);
    let mut tables = 0;
    for kind in TableKind::ALL {
        let Some(header) = doc.tables.header(kind) else {
            continue;
        };
        let n = header.number;
        let rows = page
            .select(&select(&format!("section#table-{n} tbody tr")))
            .count();
        assert_eq!(
            rows,
            expected_rows(doc, kind),
            "表{n}: rows in the browser's DOM"
        );
        tables += 1;
    }
    assert_eq!(tables, 9, "the PDF's nine tables");
    assert_eq!(
        page.select(&select("section.table")).count(),
        9,
        "no table of another template"
    );
}

/// The test server answers a plain request with the page, as UTF-8 HTML, promptly.
#[test]
fn the_page_is_served_as_utf8_html() {
    let addr = serve("<p>中文</p>".to_string());
    let started = Instant::now();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"));
    assert!(response.contains("charset=utf-8"));
    assert!(response.ends_with("<p>中文</p>"));
    assert!(started.elapsed() < Duration::from_secs(5));
}

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The key under which WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A WebDriver error: its `error` code (`no such alert`, `unexpected alert open`) and message.
#[derive(Debug)]
pub(super) struct DriverError {
    pub error: String,
    pub message: String,
}

/// A ChromeDriver with one headless Chromium session; both end when it is dropped.
pub(super) struct WebDriver {
    driver: std::process::Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

/// ChromeDriver, or `None` when the test is told to skip; fails when it is missing otherwise.
pub(super) fn chromedriver() -> Option<()> {
    chromium()?;
    if Path::new(CHROMEDRIVER).exists() {
        return Some(());
    }
    if std::env::var("BUDGETFLOW_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!(
            "skipping the browser test: chromedriver is not installed (BUDGETFLOW_SKIP_BROWSER=1)"
        );
        return None;
    }
    panic!(
        "this test needs ChromeDriver at {CHROMEDRIVER}: `apt-get install -y chromium-driver`, \
         or set BUDGETFLOW_SKIP_BROWSER=1 to skip"
    )
}

/// One HTTP/1.1 exchange with a local server: the status line's code and the body as JSON.
fn exchange(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream =
        std::net::TcpStream::connect(("127.0.0.1", port)).expect("chromedriver answers");
    stream
        .set_read_timeout(Some(Duration::from_secs(90)))
        .expect("a read timeout");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .expect("the request is sent");
    // ChromeDriver keeps the connection open: read the head, then as much body as it says
    let mut response = Vec::new();
    let mut buf = [0u8; 8192];
    let complete = |response: &[u8]| -> Option<usize> {
        let split = response.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
        let body = &response[split + 4..];
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|n| n.trim().parse::<usize>().ok());
        let done = match length {
            Some(n) => body.len() >= n,
            None => body.ends_with(b"0\r\n\r\n"),
        };
        done.then_some(split)
    };
    let split = loop {
        if let Some(split) = complete(&response) {
            break split;
        }
        let n = stream.read(&mut buf).expect("the response is read");
        assert!(n > 0, "{method} {path}: the connection closed early");
        response.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let mut content = response[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        content = unchunked(&content);
    }
    serde_json::from_slice(&content).unwrap_or_else(|e| {
        panic!(
            "{method} {path}: {e}: {}",
            String::from_utf8_lossy(&content)
        )
    })
}

/// The body of a chunked response.
fn unchunked(mut bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = bytes.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&bytes[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&bytes[end + 2..end + 2 + size]);
        bytes = &bytes[end + 2 + size + 2..];
    }
    out
}

impl WebDriver {
    /// Starts ChromeDriver on a free port and opens a headless Chromium session that keeps
    /// the browser's console log.
    pub(super) fn start() -> WebDriver {
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
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().expect("a browser profile directory");
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            // a dialog stays open for the test to see, instead of being closed for it
            "unhandledPromptBehavior": "ignore",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,2000",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let created = exchange(port, "POST", "/session", Some(&capabilities));
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        WebDriver {
            driver,
            port,
            session,
            _profile: profile,
        }
    }

    /// A command of the session: its value, or the WebDriver error it answered.
    pub(super) fn command(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, DriverError> {
        let answer = exchange(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        );
        let value = answer["value"].clone();
        match value.get("error").and_then(Value::as_str) {
            Some(error) => Err(DriverError {
                error: error.to_string(),
                message: value["message"].as_str().unwrap_or_default().to_string(),
            }),
            None => Ok(value),
        }
    }

    /// Loads `url`, waiting for the page.
    pub(super) fn goto(&self, url: &str) -> Result<Value, DriverError> {
        self.command("POST", "/url", Some(json!({ "url": url })))
    }

    /// The text of a dialog the page opened, closed now; `None` when WebDriver says `no such
    /// alert` (and `done`, the command that loaded the page, did not meet one either).
    pub(super) fn dialog(&self, done: Result<Value, DriverError>) -> Option<String> {
        match self.command("GET", "/alert/text", None) {
            Ok(text) => {
                let _ = self.command("POST", "/alert/dismiss", Some(json!({})));
                Some(text.as_str().unwrap_or_default().to_string())
            }
            Err(e) if e.error == "no such alert" => match done {
                Ok(_) => None,
                Err(e) if e.error == "unexpected alert open" => Some(e.message),
                Err(e) => panic!("the page did not load: {e:?}"),
            },
            Err(e) => panic!("alert/text: {e:?}"),
        }
    }

    /// Runs `script` in the page (WebDriver's own evaluation, which a page's CSP does not
    /// govern) and gives back what it returns.
    pub(super) fn eval(&self, script: &str) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
        .unwrap_or_else(|e| panic!("{script}: {e:?}"))
    }

    /// Clicks the first element `css` selects.
    pub(super) fn click(&self, css: &str) -> Result<Value, DriverError> {
        let found = self.command(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        let id = found[ELEMENT_KEY].as_str().expect("an element reference");
        self.command("POST", &format!("/element/{id}/click"), Some(json!({})))
    }

    /// The browser console's entries since the last call.
    pub(super) fn console(&self) -> Vec<String> {
        self.command("POST", "/se/log", Some(json!({ "type": "browser" })))
            .map(|entries| {
                entries
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| e["message"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_else(|e| panic!("the console log: {e:?}"))
    }
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = self.command("DELETE", "", None);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
