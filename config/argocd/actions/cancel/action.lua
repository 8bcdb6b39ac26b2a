-- Argo CD action "cancel" for tuning.dev/TuningJob: the operator cancels the provider job (or never
-- creates it) and keeps the resource, which ends in phase Cancelled. Cannot be undone.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["tuning.dev/cancel-requested"] = "true"
return obj
