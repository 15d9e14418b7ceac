-- 工作评议: the department figures of a period start from the assignments made in it, found
-- by kind and time rather than by reading the whole log. The 评议 sessions themselves are
-- events of the log (review.saved, scope #hub), so they need no table of their own.
CREATE INDEX log_kind_at ON log(kind, at);
