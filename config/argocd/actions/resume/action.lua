-- Argo CD action "resume" for tuning.dev/TuningJob: resume a paused job, or submit a held one.
if obj.spec == nil then
  obj.spec = {}
end
obj.spec.suspend = false
return obj
