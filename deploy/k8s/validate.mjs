#!/usr/bin/env node
// Renders the overlays of deploy/k8s with kubectl's kustomize and checks every object offline, with no cluster:
//  - its schema: built-in kinds against Kubernetes' OpenAPI schemas (npm kubernetes-models), CloudNativePG's
//    against @kubernetes-models/cloudnative-pg, RabbitMQ's operators' against their CRDs in crds/ (SOURCES.md),
//    where a field the CRD does not know is an error, as with the API server's strict field validation;
//  - Portal's rules: each Deployment has /alive liveness and /health readiness, requests and limits, a locked-down
//    container, an image the overlay named, an autoscaler, a disruption budget, a Service and a NetworkPolicy;
//    the NetworkPolicies let each part be reached by exactly the parts that call it (its ConfigMap's services__*
//    entries) and the broker and database by exactly the parts that hold an account there; only the gateway is
//    reached from outside; no Secret and no secret value is in the files; the broker and the database have three
//    nodes each; every database's owner is a managed role whose Secret is the one its part reads.
// Usage: node deploy/k8s/validate.mjs [dev] [prod]   (both by default; KUBECTL=path renders with another kubectl)
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { parse, parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const kubectl = process.env.KUBECTL || "kubectl";

// What differs by environment.
const overlays = {
  dev: { namespace: "portal-dev", minReplicas: 1, tls: false },
  prod: { namespace: "portal", minReplicas: 2, tls: true },
};

// Pods made by the operators, as they label them.
const rabbitmqPods = (cluster) => ({ "app.kubernetes.io/name": cluster, "app.kubernetes.io/component": "rabbitmq" });
const postgresPods = (cluster) => ({ "cnpg.io/cluster": cluster });

// The one caller from outside the namespace, and the one part it may reach.
const ingressController = "ingress-nginx";
const publicPart = "gateway";

// ---------------------------------------------------------------------------------------------------- schemas

const crdSchemas = loadCrds(join(here, "crds"));

function loadCrds(folder) {
  const ajv = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false, strictRequired: false });
  // Kubernetes' extensions to OpenAPI: they shape merging and defaulting, not validity, except
  // x-kubernetes-validations (CEL rules), which only the API server can evaluate.
  for (const keyword of ["x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
    "x-kubernetes-embedded-resource", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type", "x-kubernetes-validations"]) {
    ajv.addKeyword({ keyword });
  }
  ajv.addFormat("int32", { type: "number", validate: (n) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: Number.isInteger });
  ajv.addFormat("date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  const schemas = new Map();
  for (const file of readdirSync(folder).filter((f) => f.endsWith(".yaml"))) {
    const crd = parse(readFileSync(join(folder, file), "utf8"));
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const key = `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`;
      schemas.set(key, ajv.compile(strict(structuredClone(version.schema.openAPIV3Schema))));
    }
  }
  return schemas;
}

// The API server drops (or, validating strictly, refuses) a field its schema does not name: here it is an error.
function strict(schema) {
  if (schema && typeof schema === "object") {
    if (schema.properties && schema.additionalProperties === undefined
      && !schema["x-kubernetes-preserve-unknown-fields"]) {
      schema.additionalProperties = false;
    }
    for (const value of Object.values(schema)) strict(value);
  }
  return schema;
}

async function schemaErrors(object) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  const crd = crdSchemas.get(`${group}/${version}/${object.kind}`);
  if (crd) {
    return crd(object) ? [] : crd.errors.map((e) => `${e.instancePath || "/"} ${e.message}${
      e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
  }
  const module = group === "postgresql.cnpg.io"
    ? `@kubernetes-models/cloudnative-pg/${group}/${version}/${object.kind}`
    : group === "" || group.endsWith(".k8s.io") || !group.includes(".")
      ? `kubernetes-models/${object.apiVersion}/${object.kind}`
      : null;
  let Model;
  try {
    Model = module && (await import(module))[object.kind];
  } catch {
    Model = null;
  }
  if (!Model) return [`no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [String(error.message ?? error)];
  }
}

// ---------------------------------------------------------------------------------------------------- helpers

function render(overlay) {
  const text = execFileSync(kubectl, ["kustomize", join(here, "overlays", overlay)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
}

const labelsMatch = (selector, labels) => {
  const wanted = selector?.matchLabels ?? {};
  const expressions = selector?.matchExpressions ?? [];
  return Object.entries(wanted).every(([k, v]) => labels[k] === v) && expressions.every((e) =>
    e.operator === "In" ? e.values.includes(labels[e.key])
      : e.operator === "NotIn" ? !e.values.includes(labels[e.key])
        : e.operator === "Exists" ? e.key in labels
          : !(e.key in labels));
};
const isEmptySelector = (s) => !s || (!Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length);

// Kubernetes quantities, as numbers: CPU in cores, memory in bytes.
function quantity(value) {
  const match = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(value));
  if (!match) return NaN;
  const scale = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(match[1]) * (scale[match[2]] ?? 1);
}

const secretLike = /(password|secret|token|apikey|accountkey)/i;
// A literal password in a connection string or URI; $(VAR) is Kubernetes' reference to another variable.
const literalPassword = /(password=(?!\$\())|(accountkey=)|(sharedaccesssignature=)|(:\/\/[^:/@\s]+:(?!\$\()[^@\s]+@)/i;

// ---------------------------------------------------------------------------------------------------- rules

function checkRules(objects, overlay) {
  const settings = overlays[overlay];
  const errors = [];
  const fail = (object, message) => errors.push(`${object.kind}/${object.metadata?.name}: ${message}`);
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const deployments = byKind("Deployment");
  const configMaps = new Map(byKind("ConfigMap").map((c) => [c.metadata.name, c]));
  const policies = byKind("NetworkPolicy");
  const nameOf = (d) => d.spec.template.metadata.labels["app.kubernetes.io/name"];

  for (const object of objects) {
    if (object.kind !== "Namespace" && object.metadata?.namespace !== settings.namespace) {
      fail(object, `not in the namespace ${settings.namespace}`);
    }
    if (object.kind === "Secret") fail(object, "a Secret in the files: secrets are referenced, never written here");
  }
  for (const map of configMaps.values()) {
    for (const [key, value] of Object.entries(map.data ?? {})) {
      if (secretLike.test(key) || literalPassword.test(value)) fail(map, `${key} looks like a secret`);
    }
  }

  // What each part reads: its environment, with the ConfigMaps it takes whole.
  const environment = (container) => {
    const values = new Map();
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef) {
        const map = configMaps.get(source.configMapRef.name);
        for (const [key, value] of Object.entries(map?.data ?? {})) values.set(key, value);
      }
    }
    for (const variable of container.env ?? []) values.set(variable.name, variable.value ?? variable.valueFrom);
    return values;
  };

  const callers = new Map();
  const brokerClients = new Set();
  const databaseClients = new Set();
  for (const deployment of deployments) {
    const name = nameOf(deployment);
    const pod = deployment.spec.template;
    const labels = pod.metadata.labels;
    if (deployment.spec.replicas !== undefined) fail(deployment, "sets replicas: its autoscaler owns the count");
    if (!labelsMatch(deployment.spec.selector, labels)) fail(deployment, "its selector does not select its pods");
    if (pod.spec.automountServiceAccountToken !== false) fail(deployment, "mounts a Kubernetes API token");
    const podSecurity = pod.spec.securityContext ?? {};
    for (const container of pod.spec.containers) {
      const where = `container ${container.name}`;
      const ports = new Map((container.ports ?? []).map((p) => [p.name ?? p.containerPort, p.containerPort]));
      if (!ports.size) fail(deployment, `${where} declares no port`);
      const probe = (kind, path) => {
        const get = container[kind]?.httpGet;
        if (get?.path !== path) fail(deployment, `${where} has no ${kind} on ${path}`);
        else if (!ports.has(get.port) && ![...ports.values()].includes(get.port)) {
          fail(deployment, `${where}: the ${kind} port ${get.port} is not one of its ports`);
        }
      };
      probe("livenessProbe", "/alive");
      probe("readinessProbe", "/health");
      const resources = container.resources ?? {};
      for (const resource of ["cpu", "memory"]) {
        const request = quantity(resources.requests?.[resource]);
        const limit = quantity(resources.limits?.[resource]);
        if (!(request > 0) || !(limit > 0)) fail(deployment, `${where} lacks a ${resource} request or limit`);
        else if (request > limit) fail(deployment, `${where} requests more ${resource} than its limit`);
      }
      const security = container.securityContext ?? {};
      if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) fail(deployment, `${where} may run as root`);
      if (security.readOnlyRootFilesystem !== true) fail(deployment, `${where} has a writable root filesystem`);
      if (security.allowPrivilegeEscalation !== false) fail(deployment, `${where} allows privilege escalation`);
      if (security.privileged) fail(deployment, `${where} is privileged`);
      if (!(security.capabilities?.drop ?? []).includes("ALL")) fail(deployment, `${where} keeps its capabilities`);
      if ((security.seccompProfile ?? podSecurity.seccompProfile)?.type !== "RuntimeDefault") {
        fail(deployment, `${where} has no RuntimeDefault seccomp profile`);
      }
      // An overlay's images: entry names the registry and the version; the base's bare name is a placeholder.
      if (!/^[a-z0-9.-]+\.[a-z]+(:\d+)?\/[^:@]+(:[\w][\w.-]*|@sha256:[0-9a-f]{64})$/.test(container.image)
        || container.image.endsWith(":latest")) {
        fail(deployment, `${where}: image ${container.image} names no registry and version`);
      }
      const defined = new Set(environment({ envFrom: container.envFrom }).keys());
      for (const variable of container.env ?? []) {
        if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(variable.name)) {
          fail(deployment, `${where}: ${variable.name} is no valid variable name`);
        }
        if (variable.value !== undefined) {
          if (secretLike.test(variable.name) || literalPassword.test(variable.value)) {
            fail(deployment, `${where}: ${variable.name} is written in the files; it must come from a Secret`);
          }
          // Kubernetes leaves $(X) as it is when X is not defined before: the process would read it literally.
          for (const [, reference] of variable.value.matchAll(/\$\(([^)]+)\)/g)) {
            if (!defined.has(reference)) fail(deployment, `${where}: ${variable.name} uses $(${reference}) undefined`);
          }
        } else if (variable.valueFrom?.configMapKeyRef === undefined && variable.valueFrom?.secretKeyRef === undefined
          && variable.valueFrom?.fieldRef === undefined) {
          fail(deployment, `${where}: ${variable.name} has no value`);
        }
        defined.add(variable.name);
      }
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef && !configMaps.has(source.configMapRef.name)) {
          fail(deployment, `${where} reads ConfigMap ${source.configMapRef.name}, which is not rendered`);
        }
      }
      const env = environment(container);
      for (const [key, value] of env) {
        const target = /^services__([^_]+)__/.exec(key)?.[1];
        if (target) {
          if (!callers.has(target)) callers.set(target, new Set());
          callers.get(target).add(name);
          if (value !== `http://${target}`) fail(deployment, `${key} is ${value}, not the Service http://${target}`);
        }
        if (key === "ConnectionStrings__rabbitmq") brokerClients.add(name);
        if (/^ConnectionStrings__.+-db$/.test(key)) databaseClients.add(name);
      }
    }

    const services = byKind("Service").filter((s) => labelsMatch({ matchLabels: s.spec.selector }, labels));
    if (!services.some((s) => s.metadata.name === name)) fail(deployment, `no Service ${name} selects its pods`);
    const autoscalers = byKind("HorizontalPodAutoscaler").filter((h) => h.apiVersion === "autoscaling/v2"
      && h.spec.scaleTargetRef.kind === "Deployment" && h.spec.scaleTargetRef.name === deployment.metadata.name);
    if (autoscalers.length !== 1) fail(deployment, `${autoscalers.length} autoscalers (autoscaling/v2) instead of 1`);
    for (const hpa of autoscalers) {
      if ((hpa.spec.minReplicas ?? 1) < settings.minReplicas) {
        fail(hpa, `minReplicas ${hpa.spec.minReplicas} is below ${settings.minReplicas} in ${overlay}`);
      }
      if (hpa.spec.maxReplicas < (hpa.spec.minReplicas ?? 1)) fail(hpa, "maxReplicas is below minReplicas");
    }
    const budgets = byKind("PodDisruptionBudget").filter((b) => b.apiVersion === "policy/v1"
      && labelsMatch(b.spec.selector, labels));
    if (budgets.length !== 1) fail(deployment, `${budgets.length} PodDisruptionBudgets (policy/v1) instead of 1`);
  }

  // Network: nothing in unless let in, and each part by exactly its callers.
  const denyAll = policies.find((p) => isEmptySelector(p.spec.podSelector)
    && (p.spec.policyTypes ?? []).includes("Ingress") && !(p.spec.ingress ?? []).length);
  if (!denyAll) errors.push("NetworkPolicy: no default deny of ingress for the whole namespace");
  const admitted = (podLabels, port, portNames = new Map()) => {
    const peers = { parts: new Set(), outside: [], blocks: [] };
    for (const policy of policies) {
      if (!(policy.spec.policyTypes ?? []).includes("Ingress") || !labelsMatch(policy.spec.podSelector, podLabels)) {
        continue;
      }
      for (const rule of policy.spec.ingress ?? []) {
        const ports = rule.ports ?? [];
        if (ports.length && !ports.some((p) => p.port === port || portNames.get(p.port) === port)) continue;
        for (const peer of rule.from ?? [{}]) {
          if (peer.ipBlock) peers.blocks.push(`${policy.metadata.name}: ${peer.ipBlock.cidr}`);
          else if (peer.namespaceSelector) peers.outside.push(peer);
          else if (isEmptySelector(peer.podSelector)) peers.parts.add("(every pod)");
          else peers.parts.add(peer.podSelector.matchLabels?.["app.kubernetes.io/name"] ?? "(other pods)");
        }
      }
    }
    return peers;
  };
  const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
  const show = (set) => [...set].sort().join(", ") || "nobody";
  for (const deployment of deployments) {
    const name = nameOf(deployment);
    const container = deployment.spec.template.spec.containers[0];
    const portNames = new Map((container.ports ?? []).map((p) => [p.name, p.containerPort]));
    const port = container.ports?.[0]?.containerPort;
    const peers = admitted(deployment.spec.template.metadata.labels, port, portNames);
    const covered = policies.some((p) => !isEmptySelector(p.spec.podSelector)
      && labelsMatch(p.spec.podSelector, deployment.spec.template.metadata.labels));
    if (!covered) fail(deployment, "no NetworkPolicy of its own");
    const expected = callers.get(name) ?? new Set();
    if (!sameSet(peers.parts, expected)) {
      fail(deployment, `reached by ${show(peers.parts)}, but called by ${show(expected)} (services__${name}__*)`);
    }
    const fromOutside = peers.outside.filter((p) => !(p.namespaceSelector.matchLabels?.["kubernetes.io/metadata.name"]
      === ingressController && p.podSelector?.matchLabels?.["app.kubernetes.io/name"] === ingressController));
    if (fromOutside.length) fail(deployment, "reached from another namespace than the ingress controller's");
    if ((name === publicPart) !== (peers.outside.length > 0)) {
      fail(deployment, name === publicPart ? "not reached by the ingress controller" : "reached from outside");
    }
  }
  for (const cluster of byKind("RabbitmqCluster")) {
    if (cluster.spec.replicas !== 3) fail(cluster, `has ${cluster.spec.replicas} nodes, not 3`);
    const peers = admitted(rabbitmqPods(cluster.metadata.name), 5672);
    if (!sameSet(peers.parts, brokerClients)) {
      fail(cluster, `AMQP reached by ${show(peers.parts)}, but used by ${show(brokerClients)}`);
    }
  }
  for (const cluster of byKind("Cluster").filter((c) => c.apiVersion.startsWith("postgresql.cnpg.io/"))) {
    if (cluster.spec.instances !== 3) fail(cluster, `has ${cluster.spec.instances} instances, not 3`);
    // Its own instances (replication) are not Portal's parts: "(other pods)".
    const peers = admitted(postgresPods(cluster.metadata.name), 5432);
    const parts = new Set([...peers.parts].filter((p) => p !== "(other pods)"));
    if (!sameSet(parts, databaseClients)) {
      fail(cluster, `reached by ${show(parts)}, but used by ${show(databaseClients)}`);
    }
  }
  if (!byKind("RabbitmqCluster").length) errors.push("no RabbitmqCluster");
  if (!byKind("Cluster").length) errors.push("no CloudNativePG Cluster");

  // Each part's database: owned by a managed role whose password is the Secret the part reads.
  const roles = new Map(byKind("Cluster").flatMap((c) => (c.spec.managed?.roles ?? []).map((r) => [r.name, r])));
  const databases = new Map(byKind("Database").map((d) => [d.spec.name, d]));
  for (const database of databases.values()) {
    const role = roles.get(database.spec.owner);
    if (!role) fail(database, `its owner ${database.spec.owner} is not a managed role`);
    else if (!role.passwordSecret?.name) fail(database, `its owner ${role.name} has no password Secret`);
  }
  for (const deployment of deployments) {
    for (const container of deployment.spec.template.spec.containers) {
      const env = new Map((container.env ?? []).map((v) => [v.name, v]));
      for (const variable of container.env ?? []) {
        if (!/^ConnectionStrings__.+-db$/.test(variable.name)) continue;
        const name = /Database=([^;]+)/.exec(variable.value ?? "")?.[1];
        const password = /Password=\$\(([^)]+)\)/.exec(variable.value ?? "")?.[1];
        const database = databases.get(name);
        const secret = env.get(password)?.valueFrom?.secretKeyRef?.name;
        if (!database) fail(deployment, `${variable.name} names a database (${name}) no Database object makes`);
        else if (roles.get(database.spec.owner)?.passwordSecret?.name !== secret) {
          fail(deployment, `${variable.name}: its password (${secret}) is not its owner role's Secret`);
        }
      }
    }
  }

  // The way in from outside: the gateway's Service, nothing else.
  const ingresses = byKind("Ingress");
  if (!ingresses.length) errors.push("no Ingress to the gateway");
  for (const ingress of ingresses) {
    const backends = [ingress.spec.defaultBackend, ...(ingress.spec.rules ?? []).flatMap((r) =>
      (r.http?.paths ?? []).map((p) => p.backend))].filter(Boolean);
    for (const backend of backends) {
      if (backend.service?.name !== publicPart) fail(ingress, `exposes ${backend.service?.name ?? "a resource"}`);
    }
    const hosts = (ingress.spec.rules ?? []).map((r) => r.host);
    if (hosts.some((h) => !h || h.endsWith(".invalid"))) fail(ingress, "a host the overlay did not set");
    const secured = new Set((ingress.spec.tls ?? []).filter((t) => t.secretName).flatMap((t) => t.hosts ?? []));
    if (settings.tls && hosts.some((h) => !secured.has(h))) fail(ingress, "a host without TLS");
  }
  for (const service of byKind("Service")) {
    if ((service.spec.type ?? "ClusterIP") !== "ClusterIP") fail(service, `type ${service.spec.type} exposes it`);
  }
  for (const map of configMaps.values()) {
    for (const [key, value] of Object.entries(map.data ?? {})) {
      if (/\.invalid(\/|$)/.test(value)) fail(map, `${key} is a placeholder the overlay did not set`);
    }
  }
  return errors;
}

// What must exist beforehand: every Secret referenced but the ones the operators make, so that the README's list
// can be checked against it.
const operatorSecrets = new Set(["portal-db-ca"]);

function referencedSecrets(objects) {
  const names = new Set();
  const walk = (value, key) => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value && typeof value === "object") {
      if (key === "secretKeyRef" || key === "secretRef" || key === "passwordSecret"
        || key === "importCredentialsSecret") names.add(value.name);
      if ((key === "secret" || key === "tls") && value.secretName) names.add(value.secretName);
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  walk(objects);
  return [...names].filter((n) => !operatorSecrets.has(n)).sort();
}

// ---------------------------------------------------------------------------------------------------- main

let failed = false;
for (const overlay of process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(overlays)) {
  if (!overlays[overlay]) {
    console.error(`unknown overlay ${overlay}: ${Object.keys(overlays).join(", ")}`);
    process.exit(2);
  }
  let objects;
  try {
    objects = render(overlay);
  } catch (error) {
    console.error(`${overlay}: kubectl kustomize failed:\n${error.stderr ?? error.message}`);
    failed = true;
    continue;
  }
  const errors = [];
  for (const object of objects) {
    for (const error of await schemaErrors(object)) {
      errors.push(`${object.kind}/${object.metadata?.name}: schema: ${error}`);
    }
  }
  errors.push(...checkRules(objects, overlay));
  const kinds = [...new Set(objects.map((o) => o.kind))].sort();
  if (errors.length) {
    failed = true;
    console.error(`${overlay}: ${errors.length} problem(s) in ${objects.length} objects:`);
    for (const error of errors) console.error(`  ${error}`);
  } else {
    console.log(`${overlay}: ${objects.length} objects valid (${kinds.join(", ")})`);
    console.log(`${overlay}: Secrets to make beforehand: ${referencedSecrets(objects).join(", ")}`);
  }
}
process.exit(failed ? 1 : 0);
