//! `budgetflow-ingest`: the ingest service (inbox directory and ledger) over RabbitMQ. Configuration,
//! logs, ops server and shutdown come from `budgetflow-service`.

/// mimalloc: the document readers allocate many small strings; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;

fn main() -> anyhow::Result<()> {
    budgetflow_service::runtime()?.block_on(async {
        let settings = budgetflow_service::Settings::load()?;
        budgetflow_service::logging::init(&settings.log);
        let stage = budgetflow_ingest::service::NAME;
        budgetflow_service::serve(settings, stage, budgetflow_ingest::service::run).await?;
        Ok(())
    })
}
