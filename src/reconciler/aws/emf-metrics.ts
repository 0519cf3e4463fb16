/**
 * Per-workflow metrics in CloudWatch Embedded Metric Format (Powertools Metrics): one EMF line
 * per workflow with the `workflow` dimension, and one for the run. Logs-based, so the Lambda
 * needs no cloudwatch:PutMetricData permission.
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { MetricsSink } from "../ports";

export function emfMetrics(namespace: string): MetricsSink {
  return {
    emit(report) {
      const metrics = new Metrics({ namespace, serviceName: "ai-spend-guard" });
      for (const workflow of report.workflows) {
        metrics.addDimension("workflow", workflow.id);
        metrics.addMetric("Spend", MetricUnit.NoUnit, workflow.spend);
        metrics.addMetric("ProjectedSpend", MetricUnit.NoUnit, workflow.projectedSpend);
        metrics.addMetric("ReviewCost", MetricUnit.NoUnit, workflow.reviewCost);
        metrics.addMetric("FullyLoadedCost", MetricUnit.NoUnit, workflow.fullyLoaded);
        if (workflow.budgetUsed !== null) {
          metrics.addMetric("BudgetUsed", MetricUnit.Percent, workflow.budgetUsed * 100);
        }
        metrics.addMetric("Flags", MetricUnit.Count, workflow.flags.length);
        metrics.publishStoredMetrics();
      }
      metrics.addMetric("AiSpend", MetricUnit.NoUnit, report.totals.aiSpend);
      metrics.addMetric("UnownedSpend", MetricUnit.NoUnit, report.unowned.spend);
      metrics.addMetric(
        "UnregisteredSpend",
        MetricUnit.NoUnit,
        report.unregistered.reduce((sum, u) => sum + u.spend, 0),
      );
      metrics.addMetric("AttributedShare", MetricUnit.Percent, report.totals.attributedShare * 100);
      metrics.addMetric("CostExplorerRequests", MetricUnit.Count, report.ceRequests);
      metrics.publishStoredMetrics();
    },
  };
}
