//! `budgetflow-publish`: the publish stage as a service over RabbitMQ. Configuration,
//! logs, ops server and shutdown come from `budgetflow-service`.

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = budgetflow_service::Settings::load()?;
    budgetflow_service::logging::init(&settings.log);
    let stage = budgetflow_publish::stage::NAME;
    budgetflow_service::serve(settings, stage, budgetflow_publish::stage::run).await?;
    Ok(())
}
