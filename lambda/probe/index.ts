/**
 * The MCP probe engine: speaks MCP to a server exactly as a client would, times every step and
 * names the first thing that failed. Used by the canary Lambda, the `mcp-probe` CLI and tests.
 */
export type { Transport, Era, ProbeOptions, ProbeResult, ProbeTimings, Failure, ToolOutput } from './types';
export type { FrontDoor } from './front-door';
export { probe } from './engine';
export type { OAuthClientOptions, TokenAuthMethod } from './types';
export { MemoryTokenCache, accessToken, refreshAt, tokenCacheKey } from './oauth-client';
export type { CachedToken, TokenCache, OAuthDependencies } from './oauth-client';
export { discover } from './oauth-discovery';
export type { Discovery } from './oauth-discovery';
export type { DiscoveryStep, StepId, StepStatus } from './oauth-verdicts';
export { nodeFetch } from './oauth-http';
export type { OAuthFetch, OAuthRequest, OAuthResponse } from './oauth-http';
export { validateProbeOptions, checkProbeOptions, describeOptionProblem } from './options';
export type { OptionProblem, ProbeOptionName } from './options';
export { PROBE_CLIENT_INFO } from './drivers';
export { escapeControls, redact, oneLine } from './redact';
export { toolsHash } from './tools-hash';
export { FRONT_DOORS, detectFrontDoor } from './front-door';
export { CAUSE_STEPS, FRONT_DOOR_STEPS, NEXT_STEPS, nextStep } from './hints';
export { FAILURE_CLASSES, FAILURE_CLASSES_BY_LAYER, layerOf } from '../../src/contract/failure-classes';
export type { FailureClass, FailureLayer } from '../../src/contract/failure-classes';
