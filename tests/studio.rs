//! `feidi studio`'s HTTP interface, with the server started in this process on a free
//! port and requests written by hand over a TCP stream: the page and its words, the
//! scenario desk (levers, located validation, saving with comments kept), a run whose
//! numbers are those of `feidi run` with the same seed, a comparison on common random
//! numbers, path confinement, the token off loopback, the Host check, bad requests, and
//! a server that answers while a long run works.

mod common;

use common::{run_ok, temp_dir};
use feidi::plot::Lang;
use feidi::studio::{self, Config, Running};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const DAZU: &str = include_str!("../scenarios/dazu-chengdu.toml");

/// A working directory holding scenarios/dazu-chengdu.toml, and a studio serving it.
fn studio_in(name: &str, listen: &str) -> (PathBuf, Running) {
    let root = temp_dir(name);
    std::fs::create_dir_all(root.join("scenarios")).expect("scenarios dir");
    std::fs::write(root.join("scenarios/dazu-chengdu.toml"), DAZU).expect("copy dazu");
    let running = studio_on(&root, listen, Lang::Zh);
    (root, running)
}

/// A studio serving the working directory `root` (a new one, or one started again on a
/// folder an earlier studio used).
fn studio_on(root: &Path, listen: &str, lang: Lang) -> Running {
    studio::start(Config {
        root: root.to_path_buf(),
        place: None,
        listen: listen.parse().expect("an address"),
        lang,
    })
    .expect("the studio starts")
}

/// One HTTP exchange: status and body.
fn exchange(addr: SocketAddr, method: &str, target: &str, host: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).expect("read the reply");
    let reply = String::from_utf8(reply).expect("UTF-8 reply");
    let (head, body) = reply.split_once("\r\n\r\n").expect("head and body");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    (status, body.to_string())
}

fn get(s: &Running, target: &str) -> (u16, String) {
    exchange(s.addr(), "GET", target, &host(s), "")
}

fn post(s: &Running, target: &str, body: &Value) -> (u16, Value) {
    let (status, text) = exchange(s.addr(), "POST", target, &host(s), &body.to_string());
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}")),
    )
}

fn host(s: &Running) -> String {
    format!("127.0.0.1:{}", s.addr().port())
}

fn get_json(s: &Running, target: &str) -> (u16, Value) {
    let (status, text) = get(s, target);
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}")),
    )
}

/// Waits for job `id` to end; its final status.
fn finished(s: &Running, id: &Value) -> Value {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let (status, job) = get_json(s, &format!("/api/job?id={id}&wait=5000"));
        assert_eq!(status, 200, "{job}");
        if job["state"] != "running" {
            return job;
        }
        assert!(Instant::now() < deadline, "job {id} did not end");
    }
}

fn edit(path: &str, value: &str) -> Value {
    json!({"path": path, "value": value})
}

#[test]
fn the_page_is_whole_and_speaks_both_languages() {
    let (_, s) = studio_in("page", "127.0.0.1:0");
    let (status, page) = get(&s, "/");
    assert_eq!(status, 200);
    assert!(
        page.contains("const SETTINGS = {\"lang\":\"zh\""),
        "the first language is set"
    );
    assert!(page.contains("async function run()"), "the script is inline");
    // Nothing is fetched from elsewhere: no external scripts, styles or images.
    for external in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!page.contains(external), "the page refers outside: {external}");
    }
    let (_, zh) = get_json(&s, "/api/words?lang=zh");
    assert_eq!(
        zh["summary"],
        feidi::plot::labels::Word::Summary.get(Lang::Zh),
        "the glossary's word"
    );
    let (_, en) = get_json(&s, "/api/words?lang=en");
    assert_eq!(en["run"], "Run");
    let (status, refused) = get_json(&s, "/api/words?lang=fr");
    assert_eq!(status, 400, "{refused}");
    s.stop();
}

#[test]
fn the_desk_shows_levers_validates_where_feidi_validate_does_and_saves_with_comments() {
    let (root, s) = studio_in("desk", "127.0.0.1:0");
    let (_, list) = get_json(&s, "/api/scenarios");
    assert_eq!(list["scenarios"][0]["path"], "scenarios/dazu-chengdu.toml");
    let (status, scenario) = get_json(&s, "/api/scenario?path=scenarios/dazu-chengdu.toml");
    assert_eq!(status, 200, "{scenario}");
    let levers = scenario["levers"].as_array().expect("levers");
    let seats = levers.iter().find(|l| l["path"] == "enclave[0].seats").expect("seats");
    assert_eq!(seats["name_en"], "Seats, 大足科创飞地(成都)");
    assert!(seats["source"].as_str().expect("a source").starts_with("[001 derived"));
    // The reader's range beside the field, in both languages.
    assert_eq!(seats["range_en"], "allowed: 1 – 1,000,000, whole numbers");
    assert_eq!(seats["range_zh"], "允许范围：1 – 1,000,000，整数");
    for wanted in [
        "city[1].landing_subsidy_yuan",
        "economics.tax_split.home",
        "flow[0].rate",
    ] {
        assert!(levers.iter().any(|l| l["path"] == wanted), "{wanted} missing");
    }

    let body = json!({"path": "scenarios/dazu-chengdu.toml", "edits": [edit("enclave[0].seats", "-3")]});
    let (status, checked) = post(&s, "/api/validate", &body);
    assert_eq!(status, 200);
    assert_eq!(checked["ok"], false);
    // The same located message as `feidi validate` gives for the same text.
    let bad_file = root.join("bad.toml");
    std::fs::write(&bad_file, DAZU.replacen("seats = 110", "seats = -3", 1)).expect("bad copy");
    let cli = common::feidi(&["validate", bad_file.to_str().expect("utf-8")]);
    let cli_message = String::from_utf8_lossy(&cli.stderr);
    let cli_detail = cli_message
        .split_once(".toml:")
        .expect("located")
        .1
        .lines()
        .next()
        .expect("a line");
    let error = checked["error"].as_str().expect("a message");
    assert!(
        error.contains(&format!("scenarios/dazu-chengdu.toml:{cli_detail}")),
        "{error}\nagainst\n{cli_message}"
    );

    let body = json!({"path": "scenarios/dazu-chengdu.toml", "edits": [edit("enclave[0].seats", "many")]});
    let (status, refused) = post(&s, "/api/validate", &body);
    assert_eq!(status, 400);
    assert!(refused["error"]
        .as_str()
        .expect("text")
        .contains("enclave[0].seats: expected a number, found \"many\""));

    let body = json!({"path": "scenarios/dazu-chengdu.toml", "to": "mine/dazu-big.toml",
        "edits": [edit("enclave[0].seats", "150"), edit("flow[1].rate", "95 per year")]});
    let (status, saved) = post(&s, "/api/save", &body);
    assert_eq!(status, 200, "{saved}");
    let text = std::fs::read_to_string(root.join("mine/dazu-big.toml")).expect("saved");
    let changed: Vec<(&str, &str)> = DAZU.lines().zip(text.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(changed.len(), 2, "only the two edited lines change: {changed:?}");
    assert_eq!(DAZU.lines().count(), text.lines().count());
    assert!(
        changed.iter().all(|(_, b)| b.contains('#')),
        "comments kept: {changed:?}"
    );
    let (status, again) = post(&s, "/api/save", &body);
    assert_eq!(status, 409, "an existing file is not overwritten: {again}");
    s.stop();
}

#[test]
fn a_run_gives_the_numbers_of_feidi_run_and_a_comparison_pairs_them() {
    let (root, s) = studio_in("run", "127.0.0.1:0");
    let base = json!({"path": "scenarios/dazu-chengdu.toml", "replications": 64, "seed": 7});
    let (status, started) = post(&s, "/api/run", &base);
    assert_eq!(status, 200, "{started}");
    let job = finished(&s, &started["job"]);
    assert_eq!(job["state"], "done", "{job}");
    let first = &job["result"];
    assert_eq!(first["name"], "dazu-chengdu-1");

    let variant = json!({"path": "scenarios/dazu-chengdu.toml", "replications": 64, "seed": 7,
        "edits": [edit("enclave[0].seats", "40"), edit("city[1].landing_subsidy_yuan", "3_000_000")]});
    let (_, started) = post(&s, "/api/run", &variant);
    let job = finished(&s, &started["job"]);
    assert_eq!(job["state"], "done", "{job}");
    let second = &job["result"];
    assert_eq!(second["name"], "dazu-chengdu-2");
    assert_eq!(second["variant_file"], "studio-results/variants/dazu-chengdu-2.toml");
    // Charts as SVG files, served back.
    let chart = second["zh"]["charts"][0]["path"].as_str().expect("a chart");
    let (status, svg) = get(&s, &format!("/api/file?path={chart}"));
    assert_eq!(status, 200);
    assert!(svg.contains("<svg"));

    // The same variant file through `feidi run`, same seed and replications: the same
    // statistics, to the bit.
    let out = root.join("cli-run");
    let file = root.join("studio-results/variants/dazu-chengdu-2.toml");
    run_ok(&[
        "run",
        file.to_str().expect("utf-8"),
        "-n",
        "64",
        "--seed",
        "7",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let cli = common::json(&out.join("summary.json"));
    let studio = common::json(&root.join("studio-results/dazu-chengdu-2/summary.json"));
    assert_eq!(cli["metrics"], studio["metrics"]);
    // The page's summary row holds summary.json's mean, formatted as reports do.
    let row = second["zh"]["summary"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["metric"] == "landed_home")
        .expect("landed_home")
        .clone();
    let mean = cli["metrics"]["landed_home"]["mean"].as_f64().expect("a mean");
    assert_eq!(row["raw_mean"].as_f64(), Some(mean));
    assert_eq!(row["mean"], feidi::results::format::number(mean));
    let base_mean = common::json(&root.join("studio-results/dazu-chengdu-1/summary.json"))["metrics"]["landed_home"]
        ["mean"]
        .as_f64()
        .expect("a mean");
    assert_ne!(base_mean, mean, "fewer seats and a larger subsidy change the landings");

    let (status, started) = post(
        &s,
        "/api/compare",
        &json!({"variants": ["dazu-chengdu-1", "dazu-chengdu-2"], "replications": 64, "seed": 7}),
    );
    assert_eq!(status, 200, "{started}");
    let job = finished(&s, &started["job"]);
    assert_eq!(job["state"], "done", "{job}");
    let dir = root.join(job["result"]["dir"].as_str().expect("a dir"));
    let compare = common::json(&dir.join("compare.json"));
    assert_eq!(compare["common_random_numbers"], true);
    let differences = job["result"]["en"]["comparison"]["differences"]
        .as_array()
        .expect("rows");
    let landed = differences
        .iter()
        .find(|d| d["metric"] == "landed_home_real")
        .expect("landed_home_real");
    // Common random numbers, the same seed as the runs: the paired difference is the
    // difference of the two runs' means.
    let real = |dir: &str| {
        common::json(&root.join(dir).join("summary.json"))["metrics"]["landed_home_real"]["mean"]
            .as_f64()
            .expect("a mean")
    };
    let (real_base, real_variant) = (
        real("studio-results/dazu-chengdu-1"),
        real("studio-results/dazu-chengdu-2"),
    );
    let diff = landed["raw_difference"].as_f64().expect("a difference");
    assert!(
        ((real_base - real_variant).abs() - diff.abs()).abs() < 1e-9,
        "{diff} against {real_base} − {real_variant}"
    );
    let ci: Vec<f64> = landed["raw_ci"]
        .as_array()
        .expect("ci")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    assert!(ci.len() == 2 && ci[0] <= diff && diff <= ci[1], "{ci:?} around {diff}");

    let (status, exported) = post(
        &s,
        "/api/export",
        &json!({"dir": "studio-results/dazu-chengdu-2", "lang": "zh"}),
    );
    assert_eq!(status, 200, "{exported}");
    assert_eq!(exported["report"], "studio-results/dazu-chengdu-2/report.zh.html");
    assert!(root.join("studio-results/dazu-chengdu-2/report.zh.html").is_file());
    assert_eq!(exported["workbook"], "studio-results/dazu-chengdu-2/results.zh.xlsx");
    let compare_dir = job["result"]["dir"].as_str().expect("a dir").to_string();
    let (status, exported) = post(&s, "/api/export", &json!({"dir": compare_dir, "lang": "en"}));
    assert_eq!(status, 200, "{exported}");
    assert!(root.join(exported["report"].as_str().expect("a report")).is_file());
    s.stop();
}

#[test]
fn every_path_stays_in_the_working_directory() {
    let (root, s) = studio_in("confined", "127.0.0.1:0");
    let outside = temp_dir("confined-outside");
    std::fs::write(outside.join("secret.json"), "{}").expect("a file outside");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, root.join("link")).expect("a link out");
    let mut targets = vec![
        "/api/scenario?path=../confined-outside/secret.json".to_string(),
        "/api/scenario?path=%2Fetc%2Fpasswd".to_string(),
        "/api/file?path=../confined-outside/secret.json".to_string(),
        "/api/file?path=/etc/passwd".to_string(),
        "/api/file?path=scenarios/./dazu-chengdu.toml".to_string(),
        "/api/file?path=scenarios/dazu-chengdu.toml%00.svg".to_string(),
    ];
    if cfg!(unix) {
        targets.push("/api/file?path=link/secret.json".to_string());
    }
    for target in targets {
        let (status, body) = get(&s, &target);
        assert_eq!(status, 400, "{target}: {body}");
        assert!(
            body.contains("refused") || body.contains("expected"),
            "{target}: {body}"
        );
    }
    for to in ["../escaped.toml", "/tmp/escaped.toml", "link/escaped.toml"] {
        let (status, body) = post(
            &s,
            "/api/save",
            &json!({"path": "scenarios/dazu-chengdu.toml", "to": to}),
        );
        assert_eq!(status, 400, "{to}: {body}");
    }
    assert!(!outside.join("escaped.toml").exists());
    let (status, body) = post(&s, "/api/run", &json!({"path": "../confined-outside/secret.json"}));
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(&s, "/api/compare", &json!({"variants": ["../x", "y"]}));
    assert_eq!(status, 400, "{body}");
    s.stop();
}

#[test]
fn off_loopback_every_request_needs_the_token_and_on_loopback_the_host_is_checked() {
    let (_, open) = studio_in("token", "0.0.0.0:0");
    let token = open.token().expect("a token off loopback").to_string();
    assert_eq!(token.len(), 32);
    assert!(open.url().ends_with(&format!("?token={token}")));
    let local: SocketAddr = format!("127.0.0.1:{}", open.addr().port()).parse().expect("addr");
    let (status, _) = exchange(local, "GET", "/", "example.org", "");
    assert_eq!(status, 403, "no token");
    let (status, _) = exchange(local, "GET", "/api/scenarios?token=0000", "example.org", "");
    assert_eq!(status, 403, "a wrong token");
    let (status, page) = exchange(local, "GET", &format!("/?token={token}"), "example.org", "");
    assert_eq!(status, 200);
    assert!(page.contains(&token), "the page carries the token on to its requests");
    open.stop();

    let (_, local_only) = studio_in("host", "127.0.0.1:0");
    assert!(local_only.token().is_none());
    let (status, body) = exchange(local_only.addr(), "GET", "/api/scenarios", "attacker.example:80", "");
    assert_eq!(status, 403, "{body}");
    let (status, _) = exchange(
        local_only.addr(),
        "GET",
        "/api/scenarios",
        &format!("localhost:{}", local_only.addr().port()),
        "",
    );
    assert_eq!(status, 200);
    // Another site's page can send the planner's browser to the studio with the right
    // Host, but only as a plain-text or form POST, and named in Origin: both refused.
    let own = host(&local_only);
    let body = r#"{"path": "scenarios/dazu-chengdu.toml"}"#;
    let send = |headers: &str| {
        let mut stream = TcpStream::connect(local_only.addr()).expect("connect");
        write!(
            stream,
            "POST /api/validate HTTP/1.1\r\nHost: {own}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("send");
        let mut reply = String::new();
        stream.read_to_string(&mut reply).expect("read the reply");
        let status: u16 = reply.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
        (status, reply)
    };
    let (status, reply) = send("Content-Type: text/plain;charset=UTF-8\r\n");
    assert_eq!(status, 415, "{reply}");
    assert!(reply.contains("application/json"), "{reply}");
    let (status, reply) = send("");
    assert_eq!(status, 415, "no Content-Type: {reply}");
    let (status, reply) = send("Content-Type: application/json\r\nOrigin: https://attacker.example\r\n");
    assert_eq!(status, 403, "{reply}");
    assert!(reply.contains("attacker.example"), "{reply}");
    let (status, reply) = send(&format!("Content-Type: application/json\r\nOrigin: http://{own}\r\n"));
    assert_eq!(status, 200, "the studio's own page: {reply}");
    local_only.stop();
}

#[test]
fn bad_requests_get_clear_errors_and_a_long_run_does_not_hold_up_the_page() {
    let (_, s) = studio_in("bad", "127.0.0.1:0");
    let (status, body) = exchange(s.addr(), "POST", "/api/run", &host(&s), "{not json");
    assert_eq!(status, 400);
    assert!(body.contains("expected a JSON object"), "{body}");
    let (status, body) = exchange(s.addr(), "POST", "/api/run", &host(&s), "[1]");
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(
        &s,
        "/api/run",
        &json!({"path": "scenarios/dazu-chengdu.toml", "replications": "many"}),
    );
    assert_eq!(status, 400);
    assert!(body["error"].as_str().expect("text").contains("replications"), "{body}");
    let (status, _) = get(&s, "/nothing-here");
    assert_eq!(status, 404);
    let (status, _) = exchange(s.addr(), "DELETE", "/api/run", &host(&s), "");
    assert_eq!(status, 405);
    let (status, _) = get(&s, "/api/job?id=999");
    assert_eq!(status, 404);
    let (status, _) = get(&s, "/api/job?id=x");
    assert_eq!(status, 400);
    let huge = format!("{{\"path\": \"{}\"}}", "a".repeat(2 << 20));
    let (status, _) = exchange(s.addr(), "POST", "/api/validate", &host(&s), &huge);
    assert_eq!(status, 413);

    // A long run: the server answers other requests at once while it works, and the
    // run stops when cancelled.
    let (status, started) = post(
        &s,
        "/api/run",
        &json!({"path": "scenarios/dazu-chengdu.toml", "replications": 20000}),
    );
    assert_eq!(status, 200, "{started}");
    std::thread::sleep(Duration::from_millis(300));
    let asked = Instant::now();
    let (status, _) = get(&s, "/api/scenarios");
    assert_eq!(status, 200);
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "the page waited {:?}",
        asked.elapsed()
    );
    let (_, job) = get_json(&s, &format!("/api/job?id={}", started["job"]));
    assert_eq!(job["state"], "running", "{job}");
    let (status, _) = post(&s, "/api/cancel", &json!({"job": started["job"]}));
    assert_eq!(status, 200);
    let job = finished(&s, &started["job"]);
    assert_eq!(job["state"], "failed");
    assert_eq!(job["cancelled"], true);
    assert!(job["error"].as_str().expect("text").contains("stopped"), "{job}");
    s.stop();
}

#[test]
fn a_place_outside_the_working_directory_is_refused() {
    let root = temp_dir("outside-place");
    let refused = studio::start(Config {
        root: root.clone(),
        place: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")),
        listen: "127.0.0.1:0".parse().expect("addr"),
        lang: Lang::En,
    });
    let message = refused.err().expect("refused");
    assert!(message.contains("inside the working directory"), "{message}");
}

#[test]
fn the_command_refuses_a_place_it_cannot_offer_with_exit_code_2() {
    for place in ["no-such-scenarios/", "../"] {
        let out = common::feidi(&["studio", place]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{place}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let message = String::from_utf8_lossy(&out.stderr);
        assert!(
            message.contains(place.trim_end_matches('/')) && message.contains("expected"),
            "{message}"
        );
    }
}

const SMALL_SWEEP: &str = r#"# A small sweep for the long-work tests: seconds, not minutes.
[sweep]
name = "small"
scenario = "../dazu-chengdu.toml"
replications = 16
seed = 3
design = "grid"

[[parameter]]
path = "enclave[0].seats"
values = [40, 60, 80, 110, 140, 170, 200, 230]

[[parameter]]
path = "city[1].landing_subsidy_yuan"
values = [0, 1_000_000]
"#;

/// Long jobs each use every core: a third at once is refused with the reason, and no
/// directory is made for it.
#[test]
fn at_most_two_long_jobs_work_at_once() {
    let (root, s) = studio_in("long-limit", "127.0.0.1:0");
    std::fs::create_dir_all(root.join("scenarios/sweeps")).expect("sweeps dir");
    // Long enough to be working still when the third is asked for.
    let slow = SMALL_SWEEP
        .replace("name = \"small\"", "name = \"slow\"")
        .replace("replications = 16", "replications = 1000");
    std::fs::write(root.join("scenarios/sweeps/slow.toml"), slow).expect("slow sweep");
    let start = || post(&s, "/api/long/start", &json!({"path": "scenarios/sweeps/slow.toml"}));
    let dirs: Vec<String> = (0..2)
        .map(|_| {
            let (status, started) = start();
            assert_eq!(status, 200, "{started}");
            started["dir"].as_str().expect("a dir").to_string()
        })
        .collect();
    let (status, refused) = start();
    assert_eq!(status, 400, "{refused}");
    let message = refused["error"].as_str().expect("a message");
    assert!(message.contains("the most at once"), "{message}");
    // The page shows the refusal in its own language.
    let chinese = refused["error_zh"].as_str().expect("the refusal in Chinese");
    assert!(chinese.contains("同时运行的上限"), "{chinese}");
    assert!(!root.join("studio-results/sweeps/slow-3").exists());
    for dir in &dirs {
        let (status, body) = post(&s, "/api/long/cancel", &json!({"dir": dir}));
        assert_eq!(status, 200, "{body}");
    }
    for dir in &dirs {
        assert_eq!(long_settled(&s, dir)["state"], "stopped");
    }
    // With both stopped there is room again.
    let (status, started) = start();
    assert_eq!(status, 200, "{started}");
    let dir = started["dir"].as_str().expect("a dir").to_string();
    post(&s, "/api/long/cancel", &json!({"dir": dir}));
    long_settled(&s, &dir);
    s.stop();
}

/// A sweep resumes only from the study file of this working directory: a plan that
/// names another file (a folder copied elsewhere) is refused, not followed.
#[test]
fn a_sweep_whose_plan_names_another_file_is_not_resumed_from_it() {
    let (root, s) = studio_in("long-elsewhere", "127.0.0.1:0");
    std::fs::create_dir_all(root.join("scenarios/sweeps")).expect("sweeps dir");
    std::fs::write(root.join("scenarios/sweeps/small.toml"), SMALL_SWEEP).expect("small sweep");
    let dir = long_stopped(&s, "scenarios/sweeps/small.toml");
    // The plan is written before the first design point, so a stopped sweep has one.
    let plan_path = root.join(&dir).join("sweep-plan.json");
    let mut plan = common::json(&plan_path);
    let elsewhere = common::temp_dir("long-elsewhere-original").join("small.toml");
    std::fs::write(&elsewhere, SMALL_SWEEP).expect("the original");
    plan["sweep_file"] = json!(elsewhere.to_string_lossy());
    std::fs::write(&plan_path, serde_json::to_vec_pretty(&plan).expect("json")).expect("plan");
    let (status, refused) = post(&s, "/api/long/resume", &json!({"dir": dir}));
    assert_eq!(status, 400, "{refused}");
    let message = refused["error"].as_str().expect("a message");
    assert!(message.contains("its plan names the sweep file"), "{message}");
    s.stop();
}

/// A job that failed says why, also to a server started after it: here a sweep whose
/// file changed after it stopped cannot resume.
#[test]
fn a_failed_job_says_why_after_a_restart() {
    let (root, s) = studio_in("long-failed", "127.0.0.1:0");
    std::fs::create_dir_all(root.join("scenarios/sweeps")).expect("sweeps dir");
    let file = root.join("scenarios/sweeps/small.toml");
    std::fs::write(&file, SMALL_SWEEP).expect("small sweep");
    let dir = long_stopped(&s, "scenarios/sweeps/small.toml");
    std::fs::write(&file, format!("{SMALL_SWEEP}# changed after the sweep started\n")).expect("changed");
    let (status, resumed) = post(&s, "/api/long/resume", &json!({"dir": dir}));
    assert_eq!(status, 200, "{resumed}");
    let failed = long_settled(&s, &dir);
    assert_eq!(failed["state"], "failed", "{failed}");
    let why = failed["error"].as_str().expect("the reason").to_string();
    assert!(why.contains("changed"), "{why}");
    s.stop();

    let s = studio_on(&root, "127.0.0.1:0", Lang::Zh);
    let after = long_job(&s, &dir);
    assert_eq!(after["state"], "failed", "{after}");
    assert_eq!(after["error"], why.as_str());
    // Started again (the file restored), the failure no longer describes it.
    std::fs::write(&file, SMALL_SWEEP).expect("restored");
    let (status, resumed) = post(&s, "/api/long/resume", &json!({"dir": dir}));
    assert_eq!(status, 200, "{resumed}");
    assert!(!root.join(&dir).join("studio-failure.txt").exists());
    let finished = long_settled(&s, &dir);
    assert_eq!(finished["state"], "finished", "{finished}");
    s.stop();
}

/// The long-work list's entry for `dir`.
fn long_job(s: &Running, dir: &str) -> Value {
    let (status, list) = get_json(s, "/api/long");
    assert_eq!(status, 200, "{list}");
    list["jobs"]
        .as_array()
        .expect("jobs")
        .iter()
        .find(|j| j["dir"] == dir)
        .unwrap_or_else(|| panic!("{dir} is not listed: {list}"))
        .clone()
}

/// Waits for the long job in `dir` to stop working; its entry.
fn long_settled(s: &Running, dir: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let job = long_job(s, dir);
        if job["state"] != "running" {
            return job;
        }
        assert!(Instant::now() < deadline, "{dir} did not end: {job}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What a planner reads must have no key path and no e-notation.
fn assert_planner_words(text: &str) {
    assert!(!text.contains('[') && !text.contains("_yuan"), "a key path: {text}");
    assert!(
        !text
            .chars()
            .zip(text.chars().skip(1))
            .any(|(a, b)| a.is_ascii_digit() && (b == 'e' || b == 'E')),
        "e-notation: {text}"
    );
}

#[test]
fn a_sweep_from_the_page_stops_survives_a_restart_and_resumes_to_the_bytes_of_feidi_sweep() {
    let (root, s) = studio_in("long-sweep", "127.0.0.1:0");
    std::fs::create_dir_all(root.join("scenarios/sweeps")).expect("sweeps dir");
    std::fs::write(root.join("scenarios/sweeps/small.toml"), SMALL_SWEEP).expect("small sweep");
    let (_, offered) = get_json(&s, "/api/studies");
    let small = offered["studies"]
        .as_array()
        .expect("studies")
        .iter()
        .find(|f| f["path"] == "scenarios/sweeps/small.toml")
        .unwrap_or_else(|| panic!("the small sweep is not offered: {offered}"))
        .clone();
    assert_eq!(small["kind"], "sweep");
    assert_eq!(small["kind_zh"], feidi::plot::labels::Word::Sweep.get(Lang::Zh));

    let (status, started) = post(&s, "/api/long/start", &json!({"path": "scenarios/sweeps/small.toml"}));
    assert_eq!(status, 200, "{started}");
    let dir = started["dir"].as_str().expect("a dir").to_string();
    assert_eq!(dir, "studio-results/sweeps/small-1");
    let record = common::json(&root.join(&dir).join("studio-job.json"));
    assert_eq!(record["kind"], "sweep");
    assert_eq!(record["file"], "scenarios/sweeps/small.toml");
    // Progress with an estimate of the time left, then a stop between design points.
    let deadline = Instant::now() + Duration::from_secs(300);
    let running = loop {
        let job = long_job(&s, &dir);
        assert_eq!(
            job["state"], "running",
            "the sweep ended before it could be stopped: {job}"
        );
        if job["done"].as_u64().unwrap_or(0) >= 1 && !job["seconds_left"].is_null() {
            break job;
        }
        assert!(Instant::now() < deadline, "no progress: {job}");
        std::thread::sleep(Duration::from_millis(20));
    };
    let (status, _) = post(&s, "/api/long/cancel", &json!({"dir": dir}));
    assert_eq!(status, 200);
    assert_eq!(running["total"], 16);
    let (en, zh) = (
        running["line"]["en"].as_str().expect("en"),
        running["line"]["zh"].as_str().expect("zh"),
    );
    assert!(en.contains("of 16 design points done") && en.contains("left"), "{en}");
    assert!(zh.contains("/16 个设计点") && zh.contains('剩'), "{zh}");
    assert_planner_words(en);
    assert_planner_words(zh);
    let stopped = long_settled(&s, &dir);
    assert_eq!(stopped["state"], "stopped", "{stopped}");
    assert!(!root.join(&dir).join("manifest.json").exists());
    s.stop();

    // A new server on the same working directory finds the stopped sweep on disk.
    let s = studio_on(&root, "127.0.0.1:0", Lang::En);
    let stopped = long_job(&s, &dir);
    assert_eq!(stopped["state"], "stopped", "{stopped}");
    let line = stopped["line"]["en"].as_str().expect("en");
    assert!(
        line.contains("of 16 design points kept") && line.contains("resume"),
        "{line}"
    );
    let kept = std::fs::read_dir(root.join(&dir).join("rows")).expect("rows").count();
    assert!(kept < 16, "the stop kept every point: nothing left to resume");
    let (status, refused) = post(&s, "/api/long/cancel", &json!({"dir": dir}));
    assert_eq!(status, 409, "nothing is running: {refused}");
    let (status, resumed) = post(&s, "/api/long/resume", &json!({"dir": dir}));
    assert_eq!(status, 200, "{resumed}");
    let finished = long_settled(&s, &dir);
    assert_eq!(finished["state"], "finished", "{finished}");
    let (status, refused) = post(&s, "/api/long/resume", &json!({"dir": dir}));
    assert_eq!(status, 400, "a finished sweep is not resumed: {refused}");

    // The same file through `feidi sweep`, uninterrupted: the same bytes.
    let out = root.join("cli-sweep");
    run_ok(&[
        "sweep",
        root.join("scenarios/sweeps/small.toml").to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let page = std::fs::read(root.join(&dir).join("points.csv")).expect("points.csv");
    let cli = std::fs::read(out.join("points.csv")).expect("the CLI's points.csv");
    assert!(page == cli, "points.csv differs from feidi sweep's");

    // Its report, as `feidi report` writes it, then linked from the list.
    let (status, exported) = post(&s, "/api/export", &json!({"dir": dir, "lang": "zh"}));
    assert_eq!(status, 200, "{exported}");
    assert_eq!(exported["report"], format!("{dir}/report.zh.html"));
    assert_eq!(long_job(&s, &dir)["report_zh"], format!("{dir}/report.zh.html"));
    s.stop();
}

/// A light copy of a shipped study file (each `from` must occur), into the working
/// directory's `scenarios/<folder>/<name>`.
fn light_study(root: &Path, shipped: &str, name: &str, edits: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(shipped)).expect("shipped");
    for (from, to) in edits {
        assert!(text.contains(from), "{shipped} no longer holds `{from}`");
        text = text.replace(from, to);
    }
    let folder = Path::new(shipped)
        .parent()
        .expect("a folder")
        .file_name()
        .expect("a name");
    let rel = format!("scenarios/{}/{name}", folder.to_string_lossy());
    std::fs::create_dir_all(root.join(&rel).parent().expect("a parent")).expect("folder");
    std::fs::write(root.join(&rel), text).expect("light study");
    rel
}

/// Starts the study file `rel` from the page and stops it at once; its directory, with
/// the job stopped.
fn long_stopped(s: &Running, rel: &str) -> String {
    let (status, started) = post(s, "/api/long/start", &json!({"path": rel}));
    assert_eq!(status, 200, "{started}");
    let dir = started["dir"].as_str().expect("a dir").to_string();
    let (status, body) = post(s, "/api/long/cancel", &json!({"dir": dir}));
    assert_eq!(status, 200, "{body}");
    let job = long_settled(s, &dir);
    assert_eq!(job["state"], "stopped", "{job}");
    dir
}

#[test]
fn an_optimization_and_a_calibration_stopped_and_resumed_from_the_page_give_the_files_of_the_command_line() {
    let (root, s) = studio_in("long-opt-cal", "127.0.0.1:0");
    std::fs::write(
        root.join("scenarios/kunshan-sjtu.toml"),
        include_str!("../scenarios/kunshan-sjtu.toml"),
    )
    .expect("copy kunshan-sjtu");
    let optimization = light_study(
        &root,
        "scenarios/optimize/dazu-budget.toml",
        "light.toml",
        &[
            ("replications = 64 ", "replications = 4 "),
            ("population = 12 ", "population = 4 "),
            ("generations = 12 ", "generations = 3 "),
            ("finalists = 5 ", "finalists = 2 "),
            ("first_stage = 20 ", "first_stage = 6 "),
            ("cap = 5_000 ", "cap = 20 "),
            ("compare_replications = 256 ", "compare_replications = 8 "),
        ],
    );
    let calibration = light_study(
        &root,
        "scenarios/calibration/kunshan-sjtu.toml",
        "light.toml",
        &[
            ("particles = 400 ", "particles = 20 "),
            ("generations = 5 ", "generations = 2 "),
        ],
    );
    let (_, offered) = get_json(&s, "/api/studies");
    let kinds: Vec<(&str, &str)> = offered["studies"]
        .as_array()
        .expect("studies")
        .iter()
        .map(|f| (f["path"].as_str().expect("path"), f["kind"].as_str().expect("kind")))
        .collect();
    assert!(kinds.contains(&(optimization.as_str(), "optimize")), "{kinds:?}");
    assert!(kinds.contains(&(calibration.as_str(), "calibration")), "{kinds:?}");

    for (rel, folder, command, files) in [
        (
            &optimization,
            "optimizations",
            "optimize",
            &["optimize.json", "evaluations.csv"][..],
        ),
        (
            &calibration,
            "calibrations",
            "calibrate",
            &["posterior.csv", "calibration.json"][..],
        ),
    ] {
        let dir = long_stopped(&s, rel);
        assert_eq!(dir, format!("studio-results/{folder}/light-1"));
        let stopped = long_job(&s, &dir);
        let (en, zh) = (
            stopped["line"]["en"].as_str().expect("en"),
            stopped["line"]["zh"].as_str().expect("zh"),
        );
        assert!(en.starts_with("stopped") && zh.starts_with("已停止"), "{stopped}");
        let (status, resumed) = post(&s, "/api/long/resume", &json!({"dir": dir}));
        assert_eq!(status, 200, "{resumed}");
        let finished = long_settled(&s, &dir);
        assert_eq!(finished["state"], "finished", "{finished}");
        let out = root.join(format!("cli-{command}"));
        run_ok(&[
            command,
            root.join(rel).to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
        ]);
        common::assert_same_files(&root.join(&dir), &out, files);
        let (status, exported) = post(&s, "/api/export", &json!({"dir": dir, "lang": "en"}));
        assert_eq!(status, 200, "{exported}");
        assert!(root.join(exported["report"].as_str().expect("a report")).is_file());
    }
    s.stop();
}

#[test]
fn long_work_stays_in_the_working_directory_and_bad_requests_are_explained() {
    let (root, s) = studio_in("long-confined", "127.0.0.1:0");
    let outside = temp_dir("long-confined-outside");
    std::fs::write(outside.join("sweep.toml"), SMALL_SWEEP).expect("a sweep outside");
    // A sweep inside whose base scenario is outside.
    std::fs::create_dir_all(root.join("scenarios/sweeps")).expect("sweeps dir");
    let scenario_outside = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/dazu-chengdu.toml");
    std::fs::write(
        root.join("scenarios/sweeps/far.toml"),
        SMALL_SWEEP.replace("../dazu-chengdu.toml", &scenario_outside.display().to_string()),
    )
    .expect("far sweep");
    for (path, why) in [
        ("../long-confined-outside/sweep.toml", "refused"),
        ("/tmp/sweep.toml", "refused"),
        (
            "scenarios/dazu-chengdu.toml",
            "expected a sweep, calibration or optimization file",
        ),
        (
            "scenarios/sweeps/far.toml",
            "sweep.scenario: expected a scenario inside the working directory",
        ),
        ("scenarios/sweeps/none.toml", "cannot read it"),
        ("scenarios/dazu-chengdu.csv", "ending in .toml"),
    ] {
        let (status, body) = post(&s, "/api/long/start", &json!({"path": path}));
        assert_eq!(status, 400, "{path}: {body}");
        let message = body["error"].as_str().expect("a message");
        assert!(message.contains(why), "{path}: {message}");
    }
    for dir in [
        "studio-results/../x",
        "studio-results/sweeps/../../x",
        "/etc",
        "scenarios",
    ] {
        let (status, body) = post(&s, "/api/long/resume", &json!({"dir": dir}));
        assert_eq!(status, 400, "{dir}: {body}");
    }
    let (status, body) = post(&s, "/api/long/start", &json!({"file": "x"}));
    assert_eq!(status, 400, "{body}");
    assert!(body["error"].as_str().expect("text").contains("\"path\""), "{body}");
    let (status, body) = post(&s, "/api/long/cancel", &json!({"dir": "studio-results/sweeps/none-1"}));
    assert_eq!(status, 409, "{body}");
    assert!(
        !root.join("studio-results/sweeps").exists()
            || std::fs::read_dir(root.join("studio-results/sweeps"))
                .expect("dir")
                .next()
                .is_none(),
        "a refused start left a directory"
    );
    let (_, list) = get_json(&s, "/api/long");
    assert_eq!(list["jobs"], json!([]));
    // A damaged record is listed with the reason, not skipped.
    std::fs::create_dir_all(root.join("studio-results/sweeps/broken-1")).expect("a job dir");
    std::fs::write(root.join("studio-results/sweeps/broken-1/studio-job.json"), "{").expect("a damaged record");
    let broken = long_job(&s, "studio-results/sweeps/broken-1");
    assert_eq!(broken["state"], "unreadable", "{broken}");
    assert!(
        broken["line"]["en"].as_str().expect("en").contains("studio-job.json"),
        "{broken}"
    );
    let (status, body) = post(
        &s,
        "/api/long/resume",
        &json!({"dir": "studio-results/sweeps/broken-1"}),
    );
    assert_eq!(status, 400, "{body}");
    s.stop();
}

#[test]
fn a_refinement_runs_the_variant_again_with_more_replications_as_feidi_run_does() {
    let (root, s) = studio_in("refine", "127.0.0.1:0");
    let (_, started) = post(
        &s,
        "/api/run",
        &json!({"path": "scenarios/dazu-chengdu.toml", "replications": 64, "seed": 4}),
    );
    let first = finished(&s, &started["job"]);
    assert_eq!(first["state"], "done", "{first}");
    let name = first["result"]["name"].as_str().expect("a name").to_string();
    let (status, started) = post(
        &s,
        "/api/refine",
        &json!({"variant": name, "replications": 192, "seed": 4}),
    );
    assert_eq!(status, 200, "{started}");
    let refined = finished(&s, &started["job"]);
    assert_eq!(refined["state"], "done", "{refined}");
    let result = &refined["result"];
    assert_eq!(result["name"], name.as_str());
    assert_eq!(result["replications"], 192);
    assert_eq!(result["refined"], true);
    let dir = format!("studio-results/{name}-refined-192");
    assert_eq!(result["dir"], dir.as_str());
    // The first results stay; the refined ones are `feidi run -n 192`'s.
    assert!(root.join(format!("studio-results/{name}/summary.json")).is_file());
    let out = root.join("cli-refined");
    run_ok(&[
        "run",
        root.join(format!("studio-results/variants/{name}.toml"))
            .to_str()
            .expect("utf-8"),
        "-n",
        "192",
        "--seed",
        "4",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        common::json(&out.join("summary.json"))["metrics"],
        common::json(&root.join(&dir).join("summary.json"))["metrics"]
    );
    // Asked again, it is shown from disk rather than run again.
    let (_, again) = post(
        &s,
        "/api/refine",
        &json!({"variant": name, "replications": 192, "seed": 4}),
    );
    let again = finished(&s, &again["job"]);
    assert_eq!(again["result"]["dir"], dir.as_str());
    assert_eq!(again["result"]["seconds_to_results"], 0.0);
    for (body, why) in [
        (json!({"variant": "../x", "replications": 192}), "refine"),
        (json!({"variant": "nobody-1", "replications": 192}), "no variant named"),
        (json!({"variant": name, "replications": 0}), "replications"),
        (json!({"replications": 192}), "\"variant\""),
    ] {
        let (status, refused) = post(&s, "/api/refine", &body);
        assert_eq!(status, 400, "{body}: {refused}");
        assert!(refused["error"].as_str().expect("text").contains(why), "{refused}");
    }
    s.stop();
}
