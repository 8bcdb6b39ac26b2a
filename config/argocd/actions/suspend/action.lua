-- Argo CD action "suspend" for tuning.dev/TuningJob: pause a running job, or hold one that is not
-- submitted yet. The operator reconciles the change; returns the modified obj.
if obj.spec == nil then
  obj.spec = {}
end
obj.spec.suspend = true
return obj
