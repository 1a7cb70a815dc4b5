//! Every class platform's format, checked against its specification: the JUnit report
//! against the common `junit-10.xsd`, Gradescope's and PrairieLearn's `results.json`
//! against the fields their specifications require, and the JSON report against
//! Exercism's `results.json` version 3 (issue 33).
//!
//! `junit-10.xsd` beside this file is the Jenkins xUnit plugin's, unchanged
//! (github.com/jenkinsci/xunit-plugin, `src/main/resources/org/jenkinsci/plugins/xunit/
//! types/model/xsd/junit-10.xsd` at commit 031e285ef3b60dee7aaf36e9096d7dcd95ffae83; MIT
//! licence, in its header). It is read by [`Schema`], a validator of the part of XML
//! Schema it uses (global and local elements, `ref`, named and anonymous complex types,
//! `mixed`, `sequence` and `choice` with `minOccurs`/`maxOccurs`, attributes with `use`,
//! and a simple type's `pattern`): Python's standard library has no XSD validator and
//! the runner takes no C library. Where `xmllint` is installed (`apt-get install
//! libxml2-utils`), the report is validated by it too.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::process::Command;

use common::{BuildLock, MiniRepo};
use regex::Regex;
use roxmltree::{Document, Node};
use serde_json::Value;

const XS: &str = "http://www.w3.org/2001/XMLSchema";
const UNBOUNDED: usize = usize::MAX;

/// A content model: an element, or a sequence or choice of them, each with its bounds.
#[derive(Debug)]
enum Particle {
    Element(String, usize, usize),
    Sequence(Vec<Particle>, usize, usize),
    Choice(Vec<Particle>, usize, usize),
}

#[derive(Debug, Default)]
struct ComplexType {
    mixed: bool,
    content: Option<Particle>,
    /// (name, type, required)
    attributes: Vec<(String, String, bool)>,
}

#[derive(Debug)]
enum Decl {
    /// `type="xs:string"`: text only.
    Text,
    Complex(ComplexType),
    /// `type="<a named complex type>"`.
    Named(String),
}

struct Schema {
    elements: HashMap<String, Decl>,
    types: HashMap<String, ComplexType>,
    /// Simple types by name: their pattern, anchored.
    patterns: HashMap<String, Regex>,
}

fn xs<'a>(node: Node<'a, 'a>, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(XS) && node.tag_name().name() == name
}

fn bound(node: Node, attribute: &str) -> usize {
    match node.attribute(attribute) {
        None => 1,
        Some("unbounded") => UNBOUNDED,
        Some(n) => n.parse().unwrap(),
    }
}

impl Schema {
    fn load() -> Schema {
        let path = common::main_root().join("xtask/tests/junit-10.xsd");
        let text = fs::read_to_string(&path).unwrap();
        let doc = Document::parse(&text).unwrap();
        let mut schema = Schema {
            elements: HashMap::new(),
            types: HashMap::new(),
            patterns: HashMap::new(),
        };
        for node in doc.root_element().children().filter(|n| n.is_element()) {
            let name = node.attribute("name").unwrap().to_string();
            if xs(node, "simpleType") {
                let pattern = node
                    .descendants()
                    .find(|n| xs(*n, "pattern"))
                    .and_then(|n| n.attribute("value"))
                    .unwrap();
                schema
                    .patterns
                    .insert(name, Regex::new(&format!("^(?:{pattern})$")).unwrap());
            } else if xs(node, "complexType") {
                let parsed = schema.complex(node);
                schema.types.insert(name, parsed);
            } else if xs(node, "element") {
                let decl = schema.element_decl(node);
                schema.elements.insert(name, decl);
            } else {
                panic!("the validator does not know {:?}", node.tag_name());
            }
        }
        schema
    }

    fn element_decl(&mut self, node: Node) -> Decl {
        match node.attribute("type") {
            Some(t) if t.starts_with("xs:") => Decl::Text,
            Some(t) => Decl::Named(t.to_string()),
            None => {
                let complex = node.children().find(|n| xs(*n, "complexType")).unwrap();
                Decl::Complex(self.complex(complex))
            }
        }
    }

    fn complex(&mut self, node: Node) -> ComplexType {
        let mut parsed = ComplexType {
            mixed: node.attribute("mixed") == Some("true"),
            ..ComplexType::default()
        };
        for child in node.children().filter(|n| n.is_element()) {
            if xs(child, "attribute") {
                parsed.attributes.push((
                    child.attribute("name").unwrap().to_string(),
                    child.attribute("type").unwrap().to_string(),
                    child.attribute("use") == Some("required"),
                ));
            } else {
                parsed.content = Some(self.particle(child));
            }
        }
        parsed
    }

    fn particle(&mut self, node: Node) -> Particle {
        let (min, max) = (bound(node, "minOccurs"), bound(node, "maxOccurs"));
        if xs(node, "element") {
            let name = match node.attribute("ref") {
                Some(r) => r.to_string(),
                None => {
                    // A local element (rerunType's): declared where it stands.
                    let name = node.attribute("name").unwrap().to_string();
                    let decl = self.element_decl(node);
                    self.elements.entry(name.clone()).or_insert(decl);
                    name
                }
            };
            return Particle::Element(name, min, max);
        }
        let items: Vec<Particle> = node
            .children()
            .filter(|n| n.is_element())
            .map(|n| self.particle(n))
            .collect();
        if xs(node, "sequence") {
            Particle::Sequence(items, min, max)
        } else if xs(node, "choice") {
            Particle::Choice(items, min, max)
        } else {
            panic!("the validator does not know {:?}", node.tag_name());
        }
    }

    /// Every error of `doc` against the schema, as `path: what`.
    fn validate(&self, xml: &str) -> Vec<String> {
        let doc = match Document::parse(xml) {
            Ok(doc) => doc,
            Err(e) => return vec![format!("not well-formed XML: {e}")],
        };
        let mut errors = Vec::new();
        self.element(doc.root_element(), "", &mut errors);
        errors
    }

    fn element(&self, node: Node, parent: &str, errors: &mut Vec<String>) {
        let name = node.tag_name().name();
        let path = format!("{parent}/{name}");
        let Some(decl) = self.elements.get(name) else {
            errors.push(format!("{path}: no such element in the schema"));
            return;
        };
        let text_only = ComplexType::default();
        let complex = match decl {
            Decl::Text => &text_only,
            Decl::Complex(c) => c,
            Decl::Named(t) => &self.types[t],
        };
        let text_allowed = matches!(decl, Decl::Text) || complex.mixed;
        for attribute in node.attributes() {
            match complex.attributes.iter().find(|a| a.0 == attribute.name()) {
                None => errors.push(format!(
                    "{path}: attribute `{}` is not allowed",
                    attribute.name()
                )),
                Some((_, kind, _)) => {
                    if let Some(pattern) = self.patterns.get(kind)
                        && !pattern.is_match(attribute.value())
                    {
                        errors.push(format!(
                            "{path}: `{}`=\"{}\" is not a {kind}",
                            attribute.name(),
                            attribute.value()
                        ));
                    }
                }
            }
        }
        for (attribute, _, required) in &complex.attributes {
            if *required && node.attribute(attribute.as_str()).is_none() {
                errors.push(format!(
                    "{path}: required attribute `{attribute}` is missing"
                ));
            }
        }
        if !text_allowed
            && node
                .children()
                .any(|n| n.is_text() && !n.text().unwrap_or("").trim().is_empty())
        {
            errors.push(format!("{path}: text is not allowed here"));
        }
        let children: Vec<Node> = node.children().filter(|n| n.is_element()).collect();
        let names: Vec<&str> = children.iter().map(|n| n.tag_name().name()).collect();
        let fits = match &complex.content {
            None => names.is_empty(),
            Some(particle) => matches(particle, &names, 0).contains(&names.len()),
        };
        if !fits {
            errors.push(format!(
                "{path}: children {names:?} do not fit {:?}",
                complex.content
            ));
        }
        for child in children {
            self.element(child, &path, errors);
        }
    }
}

/// The positions in `names` where matching `particle` from `start` can end.
fn matches(particle: &Particle, names: &[&str], start: usize) -> BTreeSet<usize> {
    let (min, max) = match particle {
        Particle::Element(_, min, max)
        | Particle::Sequence(_, min, max)
        | Particle::Choice(_, min, max) => (*min, *max),
    };
    let once = |from: usize| -> BTreeSet<usize> {
        match particle {
            Particle::Element(name, ..) => {
                if names.get(from) == Some(&name.as_str()) {
                    BTreeSet::from([from + 1])
                } else {
                    BTreeSet::new()
                }
            }
            Particle::Sequence(items, ..) => {
                items.iter().fold(BTreeSet::from([from]), |ends, item| {
                    ends.iter()
                        .flat_map(|&at| matches(item, names, at))
                        .collect()
                })
            }
            Particle::Choice(items, ..) => items
                .iter()
                .flat_map(|item| matches(item, names, from))
                .collect(),
        }
    };
    let mut ends = BTreeSet::new();
    let mut frontier = BTreeSet::from([start]);
    let mut seen = BTreeSet::new();
    let mut count = 0;
    loop {
        if count >= min {
            ends.extend(frontier.iter().copied());
        }
        if count == max {
            break;
        }
        // Past the minimum, a position already reached adds nothing: this ends
        // repetitions that match nothing.
        let next: BTreeSet<usize> = frontier
            .iter()
            .flat_map(|&at| once(at))
            .filter(|at| count < min || !seen.contains(at))
            .collect();
        if next.is_empty() {
            break;
        }
        seen.extend(next.iter().copied());
        frontier = next;
        count += 1;
    }
    ends
}

/// The schema's errors for the JUnit report, and xmllint's verdict where it is installed.
fn assert_valid_junit(xml: &str) {
    let errors = Schema::load().validate(xml);
    assert!(
        errors.is_empty(),
        "not valid against junit-10.xsd:\n{}\n{xml}",
        errors.join("\n")
    );
    let dir = common::TempDir::new("xmllint");
    let file = dir.path.join("grade.xml");
    fs::write(&file, xml).unwrap();
    let schema = common::main_root().join("xtask/tests/junit-10.xsd");
    match Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "xmllint: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            eprintln!("xmllint was not run ({e}); the schema was checked by this test's validator")
        }
    }
}

/// The validator rejects what the schema rejects: the JUnit report as it was before
/// issue 33 (`skipped` and `<properties>` on `<testsuites>`), an element of the wrong
/// name, a missing required attribute, a time that is not a number.
#[test]
fn the_validator_rejects_what_the_schema_rejects() {
    let schema = Schema::load();
    let good = r#"<testsuites name="katas" tests="1" failures="1" errors="0" time="1.500">
  <testsuite name="sort" tests="1" failures="1" errors="0" skipped="0" time="1,234.5">
    <properties><property name="score" value="0"/></properties>
    <testcase classname="sort" name="a" time="0.001"><failure type="fail" message="m">text</failure></testcase>
  </testsuite>
</testsuites>"#;
    assert_eq!(schema.validate(good), Vec::<String>::new());
    let before = r#"<testsuites name="katas" tests="0" failures="0" errors="0" skipped="0" time="0.000">
  <properties><property name="score" value="0"/></properties>
</testsuites>"#;
    let errors = schema.validate(before);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`skipped` is not allowed")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("do not fit")),
        "{errors:?}"
    );
    for (bad, why) in [
        (
            good.replace("<testcase classname", "<testcas classname")
                .replace("</testcase>", "</testcas>"),
            "no such element",
        ),
        (
            good.replace(r#" name="a""#, ""),
            "required attribute `name`",
        ),
        (
            good.replace(r#"time="1.500""#, r#"time="NaN""#),
            "is not a SUREFIRE_TIME",
        ),
        (
            good.replace("<property name", "text<property name"),
            "text is not allowed",
        ),
    ] {
        let errors = schema.validate(&bad);
        assert!(errors.iter().any(|e| e.contains(why)), "{why}: {errors:?}");
    }
}

fn json(path: &std::path::Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// A required field's presence and type, with the object shown when it fails.
fn has(object: &Value, field: &str, is_right: fn(&Value) -> bool) {
    assert!(
        is_right(&object[field]),
        "`{field}` as the specification says: {object}"
    );
}

/// A half-done kata (the reference with one mistake), graded in every format at once:
/// each is valid against its specification and all agree.
#[test]
fn every_platform_format_meets_its_specification() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("formats");
    let mutants = fs::read_dir(common::main_root().join("tests/mutants/sort")).unwrap();
    let mut names: Vec<String> = mutants
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".patch").map(String::from))
        .collect();
    names.sort();
    let half_done = common::mutant_source(&repo, "sort", &names[0]);
    fs::write(repo.path("exercises/sort/src/lib.rs"), half_done).unwrap();
    let run = repo.xtask(&[
        "grade",
        "--points",
        "sort=8",
        "--format",
        "json",
        "--out",
        "out/g.json",
        "--format",
        "junit",
        "--out",
        "out/g.xml",
        "--format",
        "gradescope",
        "--out",
        "out/gradescope.json",
        "--format",
        "prairielearn",
        "--out",
        "out/prairielearn.json",
    ]);
    assert_eq!(run.code, Some(0), "{run}");
    let report = json(&repo.path("out/g.json"));
    let sort = &report["katas"][0];
    let (passed, total) = (
        sort["passed"].as_u64().unwrap(),
        sort["total"].as_u64().unwrap(),
    );
    assert!(
        0 < passed && passed < total,
        "half done: {passed} of {total}"
    );
    let share = passed as f64 / total as f64;

    // JUnit: valid, and every test case has a time.
    let xml = fs::read_to_string(repo.path("out/g.xml")).unwrap();
    assert_valid_junit(&xml);
    let doc = Document::parse(&xml).unwrap();
    let cases: Vec<Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len() as u64, total);
    for case in &cases {
        let time: f64 = case
            .attribute("time")
            .expect("a time on every test case")
            .parse()
            .unwrap();
        assert!(time >= 0.0);
    }
    assert!(
        cases.iter().any(|c| c.attribute("time") != Some("0.000")),
        "the times are measured, not all zero"
    );

    // Gradescope's autograder results.json.
    let gradescope = json(&repo.path("out/gradescope.json"));
    has(&gradescope, "score", Value::is_number);
    has(&gradescope, "execution_time", Value::is_u64);
    has(&gradescope, "output", Value::is_string);
    has(&gradescope, "tests", Value::is_array);
    let test = &gradescope["tests"][0];
    for (field, is_right) in [
        ("score", Value::is_number as fn(&Value) -> bool),
        ("max_score", Value::is_number),
        ("name", Value::is_string),
        ("number", Value::is_string),
        ("output", Value::is_string),
        ("status", Value::is_string),
        ("visibility", Value::is_string),
    ] {
        has(test, field, is_right);
    }
    assert_eq!(test["status"], "failed");
    assert_eq!(test["visibility"], "visible");
    assert_eq!(test["number"], "7", "the kata's place in the course");
    assert_eq!(test["max_score"], 8.0);
    let expected = (8.0 * share * 10_000.0).round() / 10_000.0;
    assert_eq!(
        test["score"].as_f64(),
        Some(expected),
        "its points, as the JSON report's share"
    );
    assert_eq!(gradescope["score"], test["score"], "the sum of the katas'");

    // PrairieLearn's external grader results.json.
    let prairielearn = json(&repo.path("out/prairielearn.json"));
    assert_eq!(prairielearn["gradable"], true);
    let score = prairielearn["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score), "{score}");
    assert_eq!(score, (share * 10_000.0).round() / 10_000.0);
    has(&prairielearn, "message", Value::is_string);
    has(&prairielearn, "output", Value::is_string);
    let test = &prairielearn["tests"][0];
    for (field, is_right) in [
        ("name", Value::is_string as fn(&Value) -> bool),
        ("description", Value::is_string),
        ("points", Value::is_number),
        ("max_points", Value::is_number),
        ("message", Value::is_string),
        ("output", Value::is_string),
    ] {
        has(test, field, is_right);
    }
    assert_eq!(test["points"].as_f64(), Some(expected));
    assert_eq!(test["max_points"], 8.0);

    // Exercism's results.json version 3, beside the report's own fields.
    assert_eq!(report["version"], 3);
    assert_eq!(report["status"], "fail", "at least one test fails");
    assert!(report["message"].is_null(), "a message only for `error`");
    assert_eq!(report["schema"], 2, "the report's own fields stay");
    let tests = report["tests"].as_array().unwrap();
    assert_eq!(tests.len() as u64, total, "every test of the kata");
    let mut statuses = BTreeSet::new();
    for test in tests {
        has(test, "name", Value::is_string);
        has(test, "test_code", Value::is_string);
        let status = test["status"].as_str().unwrap();
        assert!(["pass", "fail", "error"].contains(&status), "{test}");
        statuses.insert(status);
        if status != "pass" {
            has(test, "message", Value::is_string);
        }
        let task = test["task_id"]
            .as_u64()
            .expect("every sort test is in a group");
        assert!(task >= 1, "task ids count from 1");
    }
    assert!(
        statuses.contains("pass") && statuses.contains("fail"),
        "{statuses:?}"
    );
    // A task is a test group: the tests of one group share it.
    let by_group: HashMap<&str, BTreeSet<u64>> =
        sort["tests"].as_array().unwrap().iter().zip(tests).fold(
            HashMap::new(),
            |mut acc, (ours, theirs)| {
                acc.entry(ours["group"].as_str().unwrap())
                    .or_default()
                    .insert(theirs["task_id"].as_u64().unwrap());
                acc
            },
        );
    assert!(
        by_group.len() > 1,
        "sort's tests are in several groups: {by_group:?}"
    );
    assert!(
        by_group.values().all(|tasks| tasks.len() == 1),
        "{by_group:?}"
    );
}

/// Code that does not compile: PrairieLearn is told it cannot be graded (not a zero),
/// Exercism's status is `error` with a message, and the JUnit report is still valid.
#[test]
fn a_build_failure_is_ungradable_not_zero() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("formats-broken");
    fs::write(repo.path("exercises/sort/src/lib.rs"), "pub fn broken( {\n").unwrap();
    let run = repo.xtask(&[
        "grade",
        "--format",
        "json",
        "--out",
        "out/g.json",
        "--format",
        "junit",
        "--out",
        "out/g.xml",
        "--format",
        "prairielearn",
        "--out",
        "out/prairielearn.json",
        "--format",
        "gradescope",
        "--out",
        "out/gradescope.json",
    ]);
    assert_eq!(run.code, Some(0), "{run}");
    let prairielearn = json(&repo.path("out/prairielearn.json"));
    assert_eq!(prairielearn["gradable"], false, "{prairielearn}");
    assert!(
        prairielearn["score"].is_null(),
        "no score to count: {prairielearn}"
    );
    assert!(
        prairielearn["output"].as_str().unwrap().contains("sort: "),
        "{prairielearn}"
    );
    let report = json(&repo.path("out/g.json"));
    assert_eq!(report["status"], "error");
    assert!(
        report["message"].as_str().unwrap().starts_with("sort: "),
        "{report}"
    );
    assert_eq!(report["tests"][0]["name"], "sort::compiles");
    assert_eq!(report["tests"][0]["status"], "error");
    let gradescope = json(&repo.path("out/gradescope.json"));
    assert_eq!(gradescope["score"], 0.0);
    assert!(
        gradescope["tests"][0]["output"]
            .as_str()
            .unwrap()
            .starts_with("does not compile")
    );
    assert_valid_junit(&fs::read_to_string(repo.path("out/g.xml")).unwrap());
}
