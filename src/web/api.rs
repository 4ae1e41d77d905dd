//! The JSON API: the pages' data with the CLI's `--json` field names.

use super::auth::User;
use super::search::{self, Params};
use super::{AppState, WebError};
use crate::campaigns::spikes::{self, Sensitivity};
use crate::campaigns::view::CampaignView;
use crate::model::{Answer, CampaignKind, Mention, MentionId, Status};
use crate::respond::reading;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};

/// Rows an export link writes at most.
const EXPORT_MAX: usize = 10_000;

/// `?format=csv|json` on a search: the current result as a file.
#[derive(Debug, Default, Deserialize)]
pub struct Format {
    pub format: Option<String>,
}

/// A mention with what is computed when read (`urgency`, `suggestion`).
pub(super) fn mention_json(st: &AppState, m: &Mention) -> Value {
    reading::json(m, &st.config, &st.responder, Utc::now())
}

pub async fn search(
    State(st): State<AppState>,
    Query(p): Query<Params>,
    Query(f): Query<Format>,
) -> Result<Response, WebError> {
    if let Some(format) = f.format.as_deref() {
        return export(&st, &p, format).await;
    }
    let page = blocking(st.clone(), move |st| search::run(&st, &p).map(|r| (r, p))).await?;
    let (page, p) = page;
    let results: Vec<Value> = page
        .results
        .iter()
        .map(|r| {
            let mut v = mention_json(&st, &r.mention);
            v["score"] = json!(r.score);
            v["snippet"] = json!(r.snippet);
            v
        })
        .collect();
    let facets: serde_json::Map<String, Value> = page
        .facets
        .iter()
        .map(|f| {
            let values: serde_json::Map<String, Value> = f
                .values
                .iter()
                .map(|(k, n)| (k.clone(), json!(n)))
                .collect();
            (f.name.to_string(), Value::Object(values))
        })
        .collect();
    Ok(Json(json!({
        "query": p,
        "total": page.total,
        "page": p.page(),
        "per": p.per(),
        "more": page.more,
        "facets": facets,
        "results": results,
    }))
    .into_response())
}

/// The whole current result (up to [`EXPORT_MAX`]) as CSV or JSON lines.
async fn export(st: &AppState, p: &Params, format: &str) -> Result<Response, WebError> {
    let (mime, ext) = match format {
        "csv" => ("text/csv; charset=utf-8", "csv"),
        "json" | "jsonl" => ("application/x-ndjson; charset=utf-8", "jsonl"),
        other => {
            return Err(WebError::BadRequest(format!(
                "format `{other}`: expected csv or json"
            )))
        }
    };
    let mut all = p.clone();
    all.page = Some(1);
    all.per = None;
    let mentions = blocking(st.clone(), move |st| {
        let filter = all.filter(&st)?;
        let q = crate::store::SearchQuery {
            text: all.q.clone(),
            filter,
            limit: EXPORT_MAX,
        };
        st.index.reload().ok();
        let mut found = crate::store::search(&st.index, st.store.as_ref(), &q)?;
        if all.by_time() {
            found.sort_by_key(|r| std::cmp::Reverse(r.mention.effective_time()));
        }
        Ok(found.into_iter().map(|r| r.mention).collect::<Vec<_>>())
    })
    .await?;
    let body = if ext == "csv" {
        crate::store::export::csv(&mentions)
    } else {
        crate::store::export::jsonl(&mentions)
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"hearsay-search.{ext}\""),
            ),
        ],
        body,
    )
        .into_response())
}

pub async fn mention(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let id = MentionId::from_raw(id);
    let (m, versions) = blocking(st.clone(), move |st| {
        let m = st
            .store
            .mention(&id)?
            .ok_or_else(|| WebError::NotFound(format!("no mention {id}")))?;
        let versions = st.store.versions(&id)?;
        Ok((m, versions))
    })
    .await?;
    let mut v = mention_json(&st, &m);
    v["history"] = serde_json::to_value(&versions).unwrap_or_default();
    Ok(Json(v))
}

/// A status change from a script or the page: `{"status": "answered", "note": "…"}`.
#[derive(Debug, Deserialize)]
pub struct StatusChange {
    pub status: String,
    pub note: Option<String>,
}

pub async fn set_status(
    State(st): State<AppState>,
    Extension(user): Extension<User>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(change): Json<StatusChange>,
) -> Result<Json<Value>, WebError> {
    let csrf = headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
    if !st.auth.may_change(&user, csrf) {
        return Err(WebError::Forbidden(
            "a status change needs the page's CSRF token (X-CSRF-Token) or an Authorization header"
                .into(),
        ));
    }
    let m = change_status(&st, &user, id, &change.status, change.note).await?;
    Ok(Json(mention_json(&st, &m)))
}

/// Records a status with the user's name; the mention as stored after.
pub(super) async fn change_status(
    st: &AppState,
    user: &User,
    id: String,
    status: &str,
    note: Option<String>,
) -> Result<Mention, WebError> {
    let status = Status::parse(status).ok_or_else(|| {
        WebError::BadRequest(format!(
            "status `{status}`: expected new, answered, resolved or ignored"
        ))
    })?;
    let answer = Answer {
        status,
        status_by: Some(user.name.clone()),
        status_at: Some(Utc::now()),
        status_note: note.filter(|n| !n.trim().is_empty()),
    };
    let id = MentionId::from_raw(id);
    blocking(st.clone(), move |st| {
        if !st.store.set_status(&id, &answer)? {
            return Err(WebError::NotFound(format!("no mention {id}")));
        }
        tracing::info!(%id, status = answer.status.as_str(), by = ?answer.status_by, "status changed on the web");
        Ok(st.store.mention(&id)?.expect("just updated"))
    })
    .await
}

/// `?kind=&since=` on the campaign list.
#[derive(Debug, Default, Deserialize)]
pub struct CampaignFilter {
    pub kind: Option<String>,
    pub since: Option<String>,
}

/// Campaigns as the list shows them, most recent first.
pub(super) fn campaign_views(
    st: &AppState,
    f: &CampaignFilter,
) -> Result<Vec<CampaignView>, WebError> {
    let kind = match f.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(CampaignKind::parse(k).ok_or_else(|| {
            WebError::BadRequest(format!(
                "kind `{k}`: expected coordinated, organic or spam_repeat"
            ))
        })?),
    };
    let since = f
        .since
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            crate::config::time::parse_time(s, st.config.timezone, Utc::now())
                .map_err(|m| WebError::BadRequest(format!("since: {m}")))
        })
        .transpose()?;
    let now = Utc::now();
    st.store
        .campaigns(since, kind)?
        .iter()
        .map(|c| Ok(CampaignView::read(st.store.as_ref(), c, now)?))
        .collect()
}

pub async fn campaigns(
    State(st): State<AppState>,
    Query(f): Query<CampaignFilter>,
) -> Result<Json<Value>, WebError> {
    let views = blocking(st, move |st| campaign_views(&st, &f)).await?;
    Ok(Json(Value::Array(
        views.iter().map(CampaignView::to_json).collect(),
    )))
}

pub async fn campaign(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let v = blocking(st, move |st| campaign_view(&st, &id)).await?;
    Ok(Json(v.to_json()))
}

/// One campaign as people read it, following merges; 404 when unknown.
pub(super) fn campaign_view(st: &AppState, id: &str) -> Result<CampaignView, WebError> {
    let c = st
        .store
        .campaign(id)?
        .ok_or_else(|| WebError::NotFound(format!("no campaign {id}")))?;
    Ok(CampaignView::read(st.store.as_ref(), &c, Utc::now())?)
}

/// Each brand's spikes now (as `hearsay spikes --json`).
pub(super) fn current_spikes(st: &AppState) -> Result<Vec<(String, spikes::Spike)>, WebError> {
    let brands: Vec<String> = st.config.brands.iter().map(|b| b.name.clone()).collect();
    Ok(spikes::current_in(
        st.store.as_ref(),
        &brands,
        Utc::now(),
        Sensitivity::Normal,
    )?)
}

pub async fn spikes(State(st): State<AppState>) -> Result<Json<Value>, WebError> {
    let found = blocking(st, |st| current_spikes(&st)).await?;
    Ok(Json(Value::Array(
        found.iter().map(|(b, s)| s.to_json(b)).collect(),
    )))
}

pub async fn sources(State(st): State<AppState>) -> Result<Json<Value>, WebError> {
    let states = blocking(st.clone(), |st| Ok(st.store.source_states()?)).await?;
    Ok(Json(Value::Array(crate::sources::health(
        &st.config.sources,
        &states,
    ))))
}

/// Runs store and index work off the async threads.
pub(super) async fn blocking<T: Send + 'static>(
    st: AppState,
    work: impl FnOnce(AppState) -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(move || work(st))
        .await
        .map_err(|e| WebError::BadRequest(format!("request failed: {e}")))?
}
