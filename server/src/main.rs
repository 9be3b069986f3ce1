//! `server migrate | seed --demo | serve | kos-sim | pg-sim | bench-baseline`.

use clap::{Parser, Subcommand};
use server::config::{Config, LogFormat};
use server::startup::{self, StartupError};
use std::process::ExitCode;

// Server-side rendering allocates and frees many short strings per request; glibc's malloc
// spent about a quarter of the category page's CPU time on it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "server", version, about = "Jangteo marketplace server")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply database migrations.
    Migrate,
    /// Load data.
    Seed {
        /// Demo accounts and sample data (idempotent).
        #[arg(long)]
        demo: bool,
        /// Add this many products on sale, for load tests (after the demo data).
        #[arg(long, value_name = "N")]
        scale: Option<i64>,
    },
    /// Serve the benchmark's minimal axum + sqlx yardstick page on --addr.
    BenchBaseline {
        #[arg(long, default_value = "127.0.0.1:3200")]
        addr: String,
    },
    /// Run the KOS simulator (the carrier's core system) on --addr. Faults from
    /// KOS_SIM_LATENCY_MS, KOS_SIM_ERROR_RATE, KOS_SIM_TIMEOUT_RATE, KOS_SIM_DOWN, or at run
    /// time through PUT /control/faults.
    KosSim {
        #[arg(long, default_value = "127.0.0.1:3400")]
        addr: String,
    },
    /// Run the payment gateway simulator on --addr, sending deposit webhooks to
    /// --webhook-url. Faults from PG_SIM_LATENCY_MS, PG_SIM_ERROR_RATE, PG_SIM_TIMEOUT_RATE,
    /// PG_SIM_DOWN, or at run time through PUT /control/faults.
    PgSim {
        #[arg(long, default_value = "127.0.0.1:3500")]
        addr: String,
        #[arg(long, env = "PG_SIM_WEBHOOK_URL")]
        webhook_url: Option<String>,
    },
    /// Migrate, then serve HTTP on LEPTOS_SITE_ADDR (default 127.0.0.1:3000).
    Serve,
    /// Rush benchmarks on the demo data: a first-come coupon, or a hot SKU paid with points.
    Rush {
        #[command(subcommand)]
        what: Rush,
    },
}

#[derive(Subcommand)]
enum Rush {
    /// CLAIMS shoppers claim one coupon of which TOTAL may be issued.
    Coupon {
        #[arg(long, default_value_t = 10_000)]
        claims: usize,
        #[arg(long, default_value_t = 100)]
        total: i32,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
    /// BUYERS shoppers each check out one unit of one SKU holding STOCK, paying with points.
    Checkout {
        #[arg(long, default_value_t = 2_000)]
        buyers: usize,
        #[arg(long, default_value_t = 1_500)]
        stock: i32,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
    /// USERS shoppers make ATTEMPTS seat holds on a concert of SEATS seats, over HTTP through
    /// the running instances at BASE (comma-separated).
    Tickets {
        #[arg(long, value_delimiter = ',')]
        base: Vec<String>,
        #[arg(long, default_value_t = 2_000)]
        users: usize,
        #[arg(long, default_value_t = 20_000)]
        attempts: usize,
        #[arg(long, default_value_t = 2_000)]
        seats: usize,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,fred=warn,tower_sessions=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init(),
        LogFormat::Pretty => builder.compact().init(),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    init_logging(cli.config.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), StartupError> {
    let cfg = cli.config;
    // The simulator stands alone: no database, no Redis.
    if let Command::KosSim { addr } = &cli.command {
        println!("KOS simulator listening on http://{addr}");
        return server::kos_sim::serve(addr, &cfg.kos_api_key, server::kos_sim::Faults::from_env())
            .await
            .map_err(|e| StartupError::Other(format!("KOS simulator on {addr}: {e}")));
    }
    if let Command::PgSim { addr, webhook_url } = &cli.command {
        println!("payment gateway simulator listening on http://{addr}");
        let faults = server::pg_sim::Faults::from_env();
        return server::pg_sim::serve(addr, &cfg.pg_secret_key, webhook_url.clone(), faults)
            .await
            .map_err(|e| StartupError::Other(format!("PG simulator on {addr}: {e}")));
    }
    let db = startup::connect_db(&cfg).await?;
    let migrate = || async {
        app::platform::db::migrate(&db)
            .await
            .map_err(|e| StartupError::Migrate(e.to_string()))
    };
    match cli.command {
        Command::Migrate => {
            migrate().await?;
            println!("migrations applied");
            Ok(())
        }
        Command::KosSim { .. } | Command::PgSim { .. } => Ok(()),
        Command::BenchBaseline { addr } => {
            println!("baseline listening on http://{addr}/c/<category-slug>");
            server::bench_baseline::serve(db, &addr)
                .await
                .map_err(|e| StartupError::Other(e.to_string()))
        }
        Command::Seed { demo, scale } => {
            if !demo && scale.is_none() {
                return Err(StartupError::Other(
                    "nothing to seed: pass --demo and/or --scale N".into(),
                ));
            }
            migrate().await?;
            let state = offline_state(db, &cfg).await?;
            server::seed::demo(&state)
                .await
                .map_err(StartupError::Other)?;
            if let Some(n) = scale.filter(|n| *n > 0) {
                let seller: app::seller::SellerId = sqlx::query_scalar(
                    "SELECT s.id FROM sellers s JOIN users u ON u.id = s.user_id WHERE u.email = 'seller@jangteo.test'",
                )
                .fetch_one(&state.db)
                .await
                .map_err(|e| StartupError::Other(e.to_string()))?;
                server::scale::seed(&state, seller, n)
                    .await
                    .map_err(StartupError::Other)?;
            }
            Ok(())
        }
        Command::Rush { what } => {
            migrate().await?;
            let state = offline_state(db, &cfg).await?;
            match what {
                Rush::Coupon {
                    claims,
                    total,
                    concurrency,
                } => server::rush::coupon(&state, claims, total, concurrency).await,
                Rush::Checkout {
                    buyers,
                    stock,
                    concurrency,
                } => server::rush::checkout(&state, buyers, stock, concurrency).await,
                Rush::Tickets {
                    base,
                    users,
                    attempts,
                    seats,
                    concurrency,
                } => {
                    let plan = server::rush_tickets::Plan {
                        bases: base,
                        users,
                        attempts,
                        seats,
                        concurrency,
                    };
                    server::rush_tickets::run(&state, plan).await
                }
            }
            .map_err(StartupError::Other)
        }
        Command::Serve => {
            migrate().await?;
            let redis = startup::connect_redis(&cfg).await?;
            let options = leptos_options()?;
            let addr = options.site_addr;
            let state = startup::build_state(options, db, redis, &cfg);
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| StartupError::Other(format!("cannot listen on {addr}: {e}")))?;
            tracing::info!("listening on http://{addr}");
            startup::serve(state, &cfg, listener, shutdown()).await
        }
    }
}

/// The app's state for a command that serves no pages (seeding, the rush benchmarks).
async fn offline_state(
    db: sqlx::PgPool,
    cfg: &Config,
) -> Result<app::platform::state::AppState, StartupError> {
    let redis = startup::connect_redis(cfg).await?;
    let options = leptos::config::LeptosOptions::builder()
        .output_name("jangteo")
        .build();
    Ok(startup::build_state(options, db, redis, cfg))
}

fn leptos_options() -> Result<leptos::config::LeptosOptions, StartupError> {
    leptos::config::get_configuration(None)
        .map(|c| c.leptos_options)
        .map_err(|e| StartupError::Other(format!("leptos configuration: {e}")))
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
}
