//! `budgetflow-publish`: the publish stage as a service over RabbitMQ. Configuration,
//! logs, ops server and shutdown come from `budgetflow-service`; a misconfigured portal
//! stops it before it connects.

/// mimalloc: the document readers allocate many small strings; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;

use budgetflow_publish::stage::{self, PublishHandler};

fn main() -> anyhow::Result<()> {
    budgetflow_service::runtime()?.block_on(async {
        let settings = budgetflow_service::Settings::load()?;
        budgetflow_service::logging::init(&settings.log);
        let handler = PublishHandler::from_settings(&settings)?;
        budgetflow_service::serve(
            settings,
            stage::NAME,
            move |settings, transport, shutdown| stage::run(handler, settings, transport, shutdown),
        )
        .await?;
        Ok(())
    })
}
