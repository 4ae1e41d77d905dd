//! `hearsay serve`: the search and campaign pages for PR staff and analysts,
//! and the JSON API that mirrors them.
//!
//! The server reads the index (reloaded when the crawling process commits)
//! and the store, and writes only statuses to the store. Loopback is trusted;
//! off loopback every request needs a user's token (`auth`). Pages are
//! rendered on the server (`pages`, `html`), with styles and the one small
//! script embedded: nothing is loaded from outside.

mod api;
pub mod auth;
mod html;
mod metrics;
mod pages;
pub mod search;

use crate::config::Config;
use crate::respond::Responder;
use crate::schedule::Stop;
use crate::store::{SearchIndex, StateStore, StoreError};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

pub use metrics::Metrics;

/// Errors of the web stage.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Filter(#[from] crate::config::FilterError),
    #[error(transparent)]
    Respond(#[from] crate::respond::RespondError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    /// A public address without users would publish everything.
    #[error(
        "refusing to listen on {0} (not loopback) without users: add [[web.users]] with a \
         token_env to the config, or bind to 127.0.0.1"
    )]
    OpenBind(SocketAddr),
    #[error(
        "user {user}'s token: the environment variable {var} is not set (web.users.token_env)"
    )]
    MissingToken { user: String, var: String },
    #[error("no randomness for the CSRF key: {0}")]
    Random(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("not allowed: {0}")]
    Forbidden(String),
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) | WebError::Filter(_) => StatusCode::BAD_REQUEST,
            WebError::Store(StoreError::Query(_)) => StatusCode::BAD_REQUEST,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %self, "web request failed");
        }
        (
            status,
            axum::Json(serde_json::json!({ "error": self.to_string() })),
        )
            .into_response()
    }
}

/// What every request reads.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Arc<dyn StateStore>,
    pub index: Arc<SearchIndex>,
    pub responder: Arc<Responder>,
    pub auth: Arc<auth::Auth>,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// Opens the store and the index of `config` for serving at `bind`.
    pub fn open(config: Arc<Config>, bind: SocketAddr) -> Result<AppState, WebError> {
        let (store, index) =
            crate::store::open_for_reading(&config.state_path(), &config.index_dir())?;
        Self::with(config, Arc::new(store), Arc::new(index), bind)
    }

    /// Serves a store and index already open (`hearsay run --serve` shares the crawler's).
    pub fn with(
        config: Arc<Config>,
        store: Arc<dyn StateStore>,
        index: Arc<SearchIndex>,
        bind: SocketAddr,
    ) -> Result<AppState, WebError> {
        let responder =
            Responder::load(&config.replies.templates)?.with_window(config.replies.window);
        Ok(AppState {
            auth: Arc::new(auth::Auth::new(&config.web, bind)?),
            config,
            store,
            index,
            responder: Arc::new(responder),
            metrics: Arc::new(Metrics::default()),
        })
    }
}

/// Every page and API route, behind the user check.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::overview))
        .route("/search", get(pages::search))
        .route("/mentions/{id}", get(pages::mention))
        .route("/mentions/{id}/status", post(pages::set_status))
        .route("/campaigns", get(pages::campaigns))
        .route("/campaigns/{id}", get(pages::campaign))
        .route("/api/search", get(api::search))
        .route("/api/mentions/{id}", get(api::mention))
        .route("/api/mentions/{id}/status", post(api::set_status))
        .route("/api/campaigns", get(api::campaigns))
        .route("/api/campaigns/{id}", get(api::campaign))
        .route("/api/spikes", get(api::spikes))
        .route("/api/sources", get(api::sources))
        .route("/metrics", get(metrics::render))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), gate))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/static/app.css", get(pages::css))
        .route("/static/app.js", get(pages::js))
        .with_state(state)
}

/// Lets a request through when it comes from a user (see [`auth::Auth::who`]),
/// with the user in its extensions; 401 otherwise.
async fn gate(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    // A real socket's peer, or the one a test router was given.
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
        .or_else(|| {
            req.extensions()
                .get::<axum::extract::connect_info::MockConnectInfo<SocketAddr>>()
                .map(|c| c.0)
        });
    st.metrics.request();
    match st.auth.who(peer, req.headers()) {
        Some(user) => {
            req.extensions_mut().insert(user);
            next.run(req).await
        }
        None => {
            let html = req
                .headers()
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| a.contains("text/html"));
            if html {
                (StatusCode::UNAUTHORIZED, pages::login_page(None)).into_response()
            } else {
                (
                    StatusCode::UNAUTHORIZED,
                    [(axum::http::header::WWW_AUTHENTICATE, "Bearer")],
                    axum::Json(serde_json::json!({"error": "a token is needed off loopback"})),
                )
                    .into_response()
            }
        }
    }
}

/// Serves until `stop`; the index is reloaded as the crawler commits.
pub async fn serve(state: AppState, bind: SocketAddr, stop: Stop) -> Result<(), WebError> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|source| WebError::Bind { addr: bind, source })?;
    let addr = listener.local_addr().unwrap_or(bind);
    tracing::info!(%addr, "serving the web page");
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move { stop.stopped().await })
        .await
        .map_err(|source| WebError::Bind { addr, source })
}
