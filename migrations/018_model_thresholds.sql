-- The link and review thresholds of a model version (issue 7): calibrated for the version's weights on a
-- labelled corpus (`civreg eval --match-only` prints them) and set with `civreg match thresholds`. Null: the
-- defaults of the model's kind (src/match/model.ts EM_THRESHOLDS).
alter table match_model add column thresholds jsonb;
