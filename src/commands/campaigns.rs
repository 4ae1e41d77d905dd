//! `campaigns`, `campaign ID` and `spikes`: what detection found, with the
//! evidence an analyst needs and the answer the playbook prescribes.

use super::{out, NotFound};
use crate::cli::{Cli, ExitCode};
use crate::output::{self, println, Out};
use anyhow::Result;
use chrono::Utc;
use hearsay::campaigns::spikes::{self, Sensitivity};
use hearsay::campaigns::view::CampaignView;
use hearsay::config::Config;
use hearsay::model::{Campaign, CampaignKind};
use hearsay::store::{self, CampaignStore};
use serde_json::Value;

pub fn campaigns(
    cli: &Cli,
    config: Config,
    since: Option<&str>,
    kind: Option<&str>,
    json: bool,
) -> Result<ExitCode> {
    let o = out(cli, &config);
    let since = since
        .map(|s| {
            hearsay::config::time::parse_time(s, config.timezone, Utc::now())
                .map_err(|m| anyhow::anyhow!("--since: {m}"))
        })
        .transpose()?;
    let kind = kind
        .map(|k| {
            CampaignKind::parse(k).ok_or_else(|| {
                anyhow::anyhow!("--kind {k}: expected coordinated, organic or spam_repeat")
            })
        })
        .transpose()?;
    let st = store::SqliteStore::open(&config.state_path())?;
    let list = st.campaigns(since, kind)?;
    let now = Utc::now();
    if json {
        for c in &list {
            println(serde_json::to_string(
                &CampaignView::read(&st, c, now)?.to_json(),
            )?)?;
        }
        return Ok(ExitCode::Ok);
    }
    let mut t = o.table(&[
        "id",
        "kind",
        "status",
        "score",
        "mentions",
        "voices",
        "last seen",
        "summary",
    ]);
    for c in &list {
        let v = CampaignView::read(&st, c, now)?.to_json();
        let color = match c.kind {
            CampaignKind::Coordinated => Some(output::TableColor::Red),
            CampaignKind::Organic => Some(output::TableColor::Yellow),
            CampaignKind::SpamRepeat => None,
        };
        t.add_row(vec![
            o.cell(&c.id, None),
            o.cell(c.kind.as_str(), color),
            o.cell(v["status"].as_str().unwrap_or(""), None),
            o.cell(format!("{:.2}", c.score), None),
            o.cell(c.members.len(), None),
            o.cell(v["authors"].as_array().map_or(0, Vec::len), None),
            o.cell(output::ago(c.last_seen, now), None),
            o.cell(output::clip(&c.summary, 60), None),
        ]);
    }
    println(t.to_string())?;
    println(o.dim(&format!("{} campaign(s)", list.len())))?;
    Ok(ExitCode::Ok)
}

pub fn campaign(cli: &Cli, config: Config, id: &str, json: bool) -> Result<ExitCode> {
    let o = out(cli, &config);
    let st = store::SqliteStore::open(&config.state_path())?;
    let c = st
        .campaign(id.trim())?
        .ok_or_else(|| NotFound(format!("no campaign with id {id}")))?;
    let v = CampaignView::read(&st, &c, Utc::now())?.to_json();
    if json {
        println(serde_json::to_string(&v)?)?;
        return Ok(ExitCode::Ok);
    }
    print_campaign(&o, &c, &v)?;
    Ok(ExitCode::Ok)
}

fn print_campaign(o: &Out, c: &Campaign, v: &Value) -> Result<()> {
    println(format!(
        "{} {} · {} · score {:.2} · {} mention(s) from {} voice(s) on {} site(s)",
        o.bold(&c.id),
        c.kind.as_str(),
        v["status"].as_str().unwrap_or(""),
        c.score,
        c.members.len(),
        v["authors"].as_array().map_or(0, Vec::len),
        v["sites"].as_array().map_or(0, Vec::len),
    ))?;
    println(format!(
        "{} → {}",
        o.when(c.first_seen),
        o.when(c.last_seen)
    ))?;
    println(format!("\n{}\n  {}", o.bold("What they say"), c.summary))?;
    for p in &c.phrases {
        println(format!("  · \"{p}\""))?;
    }
    let mut t = o.table(&["signal", "value", "weight"]);
    for (name, s) in &c.signals {
        t.add_row(vec![
            name.clone(),
            format!("{:.2}", s.value),
            format!("{:.1}", s.weight),
        ]);
    }
    println(format!("\n{}\n{t}", o.bold("Why")))?;
    println(format!(
        "\n{}\n{}",
        o.bold("Suggested answer"),
        v["suggestion"].as_str().unwrap_or("")
    ))?;
    Ok(())
}

pub fn spikes(cli: &Cli, config: Config, sensitivity: Sensitivity, json: bool) -> Result<ExitCode> {
    let o = out(cli, &config);
    let st = store::SqliteStore::open(&config.state_path())?;
    let now = Utc::now();
    let brands: Vec<String> = config.brands.iter().map(|b| b.name.clone()).collect();
    let found = spikes::current_in(&st, &brands, now, sensitivity)?;
    if json {
        for (brand, s) in &found {
            println(serde_json::to_string(&s.to_json(brand))?)?;
        }
        return Ok(ExitCode::Ok);
    }
    if found.is_empty() {
        println(
            o.dim("no spikes: every brand's last hour and last day look like their baselines"),
        )?;
        return Ok(ExitCode::Ok);
    }
    let mut t = o.table(&[
        "brand",
        "span",
        "mentions",
        "usual",
        "negative",
        "usual neg.",
        "stands out",
    ]);
    for (brand, s) in &found {
        t.add_row(vec![
            brand.clone(),
            s.span.as_str().to_string(),
            s.count.to_string(),
            format!("{:.1}", s.baseline),
            format!("{:.0} %", s.negative_share * 100.0),
            format!("{:.0} %", s.baseline_negative_share * 100.0),
            s.top_terms.join(", "),
        ]);
    }
    println(t.to_string())?;
    Ok(ExitCode::Ok)
}
