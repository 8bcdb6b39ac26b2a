-- Argo CD health check for tuning.dev/TuningJob (Tuning Operator).
--
-- Argo runs this in gopher-lua (Lua 5.1) with only the base, table and package libraries and an
-- os table holding time and date; the live resource is the global obj and the script returns
-- {status = ..., message = ...}. It uses no string or math library, so
-- resource.customizations.useOpenLibs stays false.
--
-- Mapping (status is written by the operator; obj is the live object):
--   no status / no phase, or observedGeneration < generation  -> Progressing (waiting for the operator)
--   Pending with Suspended=True Held, or phase Suspended       -> Suspended (Progressing once cancel is requested)
--   Pending, Submitting, Queued, Running, Cancelling           -> Progressing, with the provider state and
--                                                                 any Synced=False problem in the message
--   ... but Synced=False AuthenticationFailed or InvalidSpec   -> Degraded at once (needs a person; retries cannot fix it)
--   Succeeded                                                  -> Healthy (message names the tuned model)
--   Failed                                                     -> Degraded (the provider's error)
--   Cancelled                                                  -> Degraded (final: the tuned model will never exist)
--   anything else                                              -> Unknown
-- Health depends only on obj, never on the clock: Argo re-evaluates it only when the object changes.

local hs = {}

local function present(v)
  return v ~= nil and v ~= ""
end

local function condition(status, kind)
  if type(status.conditions) ~= "table" then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if type(c) == "table" and c.type == kind then
      return c
    end
  end
  return nil
end

-- Synced=False reasons that need a person: a key the provider refuses, or a provider this
-- operator does not run. Every other reason (CredentialsMissing, RateLimited, QuotaExceeded,
-- ProviderUnavailable, ReconcileError) is retried by the operator and clears by itself once the
-- Secret appears or the provider answers again, so the job stays Progressing.
local needsPerson = {
  AuthenticationFailed = true,
  InvalidSpec = true,
  ProviderRejected = true,
  JobNotFound = true,
}

local function syncProblem(status)
  local synced = condition(status, "Synced")
  if synced == nil or synced.status ~= "False" then
    return nil, false
  end
  local reason = synced.reason
  if not present(reason) then
    reason = "Unknown"
  end
  local text = "Synced=False " .. reason
  if present(synced.message) then
    text = text .. ": " .. synced.message
  end
  return text, needsPerson[reason] == true
end

local function providerState(status)
  if present(status.providerState) then
    return " (provider state " .. status.providerState .. ")"
  end
  return ""
end

local function errorText(status, fallback)
  local e = status.error
  local failed = condition(status, "Failed")
  local text = nil
  if type(e) == "table" and present(e.message) then
    text = e.message
  elseif failed ~= nil and present(failed.message) then
    text = failed.message
  end
  if text == nil then
    text = fallback
  end
  if type(e) == "table" and present(e.code) then
    text = text .. " (code " .. tostring(e.code) .. ")"
  end
  return text
end

local status = obj.status
local metadata = obj.metadata or {}
local spec = obj.spec or {}
local annotations = metadata.annotations or {}
local cancelRequested = annotations["tuning.dev/cancel-requested"] == "true"

if type(status) ~= "table" or not present(status.phase) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to pick up the TuningJob"
  return hs
end

if metadata.generation ~= nil
    and (status.observedGeneration == nil or status.observedGeneration < metadata.generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(metadata.generation)
  if status.observedGeneration ~= nil then
    hs.message = hs.message .. " (status is for generation " .. tostring(status.observedGeneration) .. ")"
  end
  return hs
end

local phase = status.phase

if phase == "Succeeded" then
  hs.status = "Healthy"
  if present(status.tunedModel) then
    hs.message = "Tuned model " .. status.tunedModel
    if present(status.tunedModelEndpoint) then
      hs.message = hs.message .. " served at " .. status.tunedModelEndpoint
    end
  else
    hs.message = "The job succeeded"
  end
  return hs
end

if phase == "Failed" then
  hs.status = "Degraded"
  local failed = condition(status, "Failed")
  if failed ~= nil and failed.reason == "ProviderRejected" then
    hs.message = "The provider rejected the job: " .. errorText(status, "no message")
        .. "; fix the spec and the operator submits it again"
  elseif failed ~= nil and failed.reason == "JobNotFound" then
    hs.message = errorText(status, "The provider no longer knows the job")
  else
    hs.message = "The job failed: " .. errorText(status, "no message from the provider")
  end
  return hs
end

if phase == "Cancelled" then
  -- Final and not resumable, so not Suspended; the desired tuned model will never exist, so
  -- not Healthy. Remove the TuningJob from Git or create a new one under a new name.
  hs.status = "Degraded"
  hs.message = "Cancelled" .. providerState(status)
      .. "; a cancelled job cannot resume: create a new TuningJob (new name) to tune again"
  return hs
end

local held = condition(status, "Suspended")
if phase == "Suspended" or (phase == "Pending" and held ~= nil and held.status == "True" and held.reason == "Held") then
  hs.status = "Suspended"
  if phase == "Suspended" then
    hs.message = "Paused" .. providerState(status) .. "; clear spec.suspend (resume action) to continue"
  else
    hs.message = "Held before submission (spec.suspend); clear it (resume action) to submit"
  end
  if cancelRequested then
    hs.status = "Progressing"
    hs.message = hs.message .. "; cancel requested"
  end
  return hs
end

local descriptions = {
  Pending = "Pending: not submitted yet",
  Submitting = "Submitting to the provider",
  Queued = "Queued at the provider",
  Running = "Running",
  Cancelling = "Cancelling the provider job",
}

if descriptions[phase] == nil then
  hs.status = "Unknown"
  hs.message = "Unrecognised phase " .. tostring(phase)
  return hs
end

hs.status = "Progressing"
hs.message = descriptions[phase] .. providerState(status)
if phase == "Running" and present(status.estimatedFinish) then
  hs.message = hs.message .. ", estimated finish " .. status.estimatedFinish
end
if cancelRequested and phase ~= "Cancelling" then
  hs.message = hs.message .. "; cancel requested"
end
if held ~= nil and held.reason == "NotSupported" then
  hs.message = hs.message .. "; spec.suspend has no effect: the provider cannot pause a running job"
end
local problem, degraded = syncProblem(status)
if problem ~= nil then
  hs.message = hs.message .. "; " .. problem
  if degraded then
    hs.status = "Degraded"
  end
end
return hs
