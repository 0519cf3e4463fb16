/**
 * Which AI resource type of the pack's catalog an ARN names. Resource Explorer and the Tagging
 * API speak ARNs (and `service:type`), the rules speak Pulumi type tokens: this table joins the
 * two, by hand, for the ARN shapes AWS documents (Service Authorization Reference, "Resource
 * types defined by ..."). An ARN of an audited service whose shape is not here is listed as
 * unrecognised, never dropped; a test holds every token here to the catalog.
 */
import { lookupTable } from "../util/records";
import type { ParsedArn } from "./arn";

/**
 * `service:type` (the ARN's service and the first segment of its resource part; for nested
 * ARNs, `service:first/third`) -> the Pulumi type the rules know it as.
 */
export const ARN_TYPES: Readonly<Record<string, string>> = lookupTable({
  "bedrock:application-inference-profile": "aws:bedrock/inferenceProfile:InferenceProfile",
  "bedrock:provisioned-model": "aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput",
  "bedrock:custom-model": "aws:bedrock/customModel:CustomModel",
  "bedrock:agent": "aws:bedrock/agentAgent:AgentAgent",
  "bedrock:agent-alias": "aws:bedrock/agentAgentAlias:AgentAgentAlias",
  "bedrock:knowledge-base": "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase",
  "bedrock:guardrail": "aws:bedrock/guardrail:Guardrail",
  "bedrock:flow": "aws:bedrock/agentFlow:AgentFlow",
  "bedrock:prompt": "aws:bedrock/agentPrompt:AgentPrompt",
  "bedrock:evaluation-job": "aws:bedrock/evaluationJob:EvaluationJob",
  "bedrock:model-invocation-job": "aws:bedrockmodel/invocationJob:InvocationJob",
  "bedrock-agentcore:runtime": "aws:bedrock/agentcoreAgentRuntime:AgentcoreAgentRuntime",
  "bedrock-agentcore:runtime/runtime-endpoint":
    "aws:bedrock/agentcoreAgentRuntimeEndpoint:AgentcoreAgentRuntimeEndpoint",
  "bedrock-agentcore:gateway": "aws:bedrock/agentcoreGateway:AgentcoreGateway",
  "bedrock-agentcore:memory": "aws:bedrock/agentcoreMemory:AgentcoreMemory",
  "sagemaker:endpoint": "aws:sagemaker/endpoint:Endpoint",
  "sagemaker:endpoint-config": "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
  "sagemaker:notebook-instance": "aws:sagemaker/notebookInstance:NotebookInstance",
  "sagemaker:notebook-instance-lifecycle-config":
    "aws:sagemaker/notebookInstanceLifecycleConfiguration:NotebookInstanceLifecycleConfiguration",
  "sagemaker:model": "aws:sagemaker/model:Model",
  "sagemaker:domain": "aws:sagemaker/domain:Domain",
  "sagemaker:user-profile": "aws:sagemaker/userProfile:UserProfile",
  "sagemaker:space": "aws:sagemaker/space:Space",
  "sagemaker:app": "aws:sagemaker/app:App",
  "sagemaker:training-job": "aws:sagemaker/trainingJob:TrainingJob",
  "sagemaker:hyper-parameter-tuning-job":
    "aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob",
  "sagemaker:labeling-job": "aws:sagemaker/labelingJob:LabelingJob",
  "sagemaker:pipeline": "aws:sagemaker/pipeline:Pipeline",
  "sagemaker:project": "aws:sagemaker/project:Project",
  "sagemaker:feature-group": "aws:sagemaker/featureGroup:FeatureGroup",
  "sagemaker:model-package-group": "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
  "sagemaker:monitoring-schedule": "aws:sagemaker/monitoringSchedule:MonitoringSchedule",
  "sagemaker:mlflow-tracking-server": "aws:sagemaker/mlflowTrackingServer:MlflowTrackingServer",
  "sagemaker:image": "aws:sagemaker/image:Image",
  "sagemaker:app-image-config": "aws:sagemaker/appImageConfig:AppImageConfig",
  "sagemaker:code-repository": "aws:sagemaker/codeRepository:CodeRepository",
  "sagemaker:workteam": "aws:sagemaker/workteam:Workteam",
  "sagemaker:hub": "aws:sagemaker/hub:Hub",
  "sagemaker:model-card": "aws:sagemaker/modelCard:ModelCard",
  "sagemaker:flow-definition": "aws:sagemaker/flowDefinition:FlowDefinition",
  "sagemaker:human-task-ui": "aws:sagemaker/humanTaskUI:HumanTaskUI",
  "sagemaker:algorithm": "aws:sagemaker/algorithm:Algorithm",
  "sagemaker:device-fleet": "aws:sagemaker/deviceFleet:DeviceFleet",
  "sagemaker:studio-lifecycle-config": "aws:sagemaker/studioLifecycleConfig:StudioLifecycleConfig",
  "sagemaker:data-quality-job-definition":
    "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition",
  "comprehend:document-classifier": "aws:comprehend/documentClassifier:DocumentClassifier",
  "comprehend:entity-recognizer": "aws:comprehend/entityRecognizer:EntityRecognizer",
  "kendra:index": "aws:kendra/index:Index",
  "kendra:index/data-source": "aws:kendra/dataSource:DataSource",
  "kendra:index/faq": "aws:kendra/faq:Faq",
  "kendra:index/thesaurus": "aws:kendra/thesaurus:Thesaurus",
  "kendra:index/query-suggestions-block-list":
    "aws:kendra/querySuggestionsBlockList:QuerySuggestionsBlockList",
  "lex:bot": "aws:lex/v2modelsBot:V2modelsBot",
  "qbusiness:application": "aws:qbusiness/application:Application",
  "rekognition:collection": "aws:rekognition/collection:Collection",
  "rekognition:project": "aws:rekognition/project:Project",
  "rekognition:streamprocessor": "aws:rekognition/streamProcessor:StreamProcessor",
  "transcribe:language-model": "aws:transcribe/languageModel:LanguageModel",
  "transcribe:medical-vocabulary": "aws:transcribe/medicalVocabulary:MedicalVocabulary",
  "transcribe:vocabulary": "aws:transcribe/vocabulary:Vocabulary",
  "transcribe:vocabulary-filter": "aws:transcribe/vocabularyFilter:VocabularyFilter",
  "s3vectors:bucket": "aws:s3/vectorsVectorBucket:VectorsVectorBucket",
  "s3vectors:bucket/index": "aws:s3/vectorsIndex:VectorsIndex",
});

/**
 * The services the audit lists resources of (Resource Explorer `service:` filters, Tagging API
 * `ResourceTypeFilters`), in table order. OpenSearch Serverless is left out: a collection is an
 * AI resource only when it is a vector collection, which neither inventory API says.
 */
export const AUDITED_SERVICES: readonly string[] = [
  ...new Set(Object.keys(ARN_TYPES).map((key) => key.slice(0, key.indexOf(":")))),
];

/** The `service:type` key an ARN is looked up by, and the Pulumi type, when the table has it. */
export function arnTypeOf(
  arn: ParsedArn,
): { readonly key: string; readonly type: string } | undefined {
  const [first, , third] = arn.segments;
  const candidates =
    arn.segments.length >= 4 ? [`${arn.service}:${first}/${third}`] : [`${arn.service}:${first}`];
  for (const key of candidates) {
    const type = ARN_TYPES[key];
    if (type !== undefined) return { key, type };
  }
  return undefined;
}
