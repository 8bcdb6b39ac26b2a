-- Argo CD action discovery for tuning.dev/TuningJob: which actions the UI offers for obj.
-- Lua 5.1 base and table only (no string library).
--   suspend: pause a running job or hold one not yet submitted (spec.suspend = true)
--   resume:  clear spec.suspend
--   cancel:  annotation tuning.dev/cancel-requested = "true" (cancels the provider job, keeps the resource)
local actions = {}
actions["suspend"] = {["disabled"] = true}
actions["resume"] = {["disabled"] = true}
actions["cancel"] = {["disabled"] = true}

local spec = obj.spec or {}
local status = obj.status or {}
local metadata = obj.metadata or {}
local annotations = metadata.annotations or {}
local phase = status.phase

local terminal = phase == "Succeeded" or phase == "Failed" or phase == "Cancelled"
local cancelling = phase == "Cancelling" or annotations["tuning.dev/cancel-requested"] == "true"
local suspendRequested = spec.suspend == true
-- Vertex AI cannot pause a submitted job (Suspended=False NotSupported); it can still be held
-- before submission.
local cannotPause = spec.provider == "vertex" and status.jobId ~= nil and status.jobId ~= ""

if not terminal and not cancelling then
  if not suspendRequested and phase ~= "Suspended" and not cannotPause then
    actions["suspend"]["disabled"] = false
  end
  if suspendRequested or phase == "Suspended" then
    actions["resume"]["disabled"] = false
  end
  actions["cancel"]["disabled"] = false
end

return actions
