-- EXPLAIN ANALYZE of the APR-4 quota count (appraisal.selectors.quota_boxes) at the nation's scale, everything
-- rolled back: a campaign for province T00011 (org 13), one review per member (unit = the member's grassroots
-- organisation, peer group by id % 3), the bench's random proposed grades, then the grouped query 3 times.
--   psql -h 127.0.0.1 -p 54390 -U postgres dangbo -f bench/quota_explain.sql
\timing on
BEGIN;
INSERT INTO appraisal_campaign (year, org_path, review_date, deadline, regulation, created_at, organization_id, note)
  VALUES (2025, '000001/000013/', '2025-12-01', '2025-12-31', '366-QĐ/TW', now(), 13, '') RETURNING id \gset c_
INSERT INTO appraisal_review (org_path, peer_group, role, shortcomings_fixed, discipline, degradation, self_comment,
  status, proposed_grade, decided_grade, reasons, note, override_reason, regulation, campaign_id, member_id,
  organization_id, unit_id, host_commented_by, host_comments, host_name, host_path, temporary, leave_months, maternity)
SELECT m.org_path, (ARRAY['Đảng viên','Cán bộ lãnh đạo','Hưu trí'])[1 + (m.id % 3)], 'member', false, 'none', false, '',
  'draft', '', '', '[]', '', '', '366-QĐ/TW', :c_id, m.id, m.organization_id, m.organization_id, '', '', '', '', false, 0, false
FROM members_member m WHERE m.org_path LIKE '000001/000013/%';
UPDATE appraisal_review SET status = 'proposed',
  proposed_grade = CASE WHEN random() < 0.25 THEN 'excellent' WHEN random() < 0.8 THEN 'good' ELSE 'completed' END
  WHERE campaign_id = :c_id AND status <> 'decided';
ANALYZE appraisal_review;
\set q 'SELECT unit_id, peer_group, CASE WHEN status = ''decided'' THEN decided_grade ELSE proposed_grade END AS grade, COUNT(id) FROM appraisal_review WHERE campaign_id = ' :c_id ' AND org_path::text LIKE ''000001/000013/%'' AND NOT (proposed_grade = '''') GROUP BY 1, 2, 3'
EXPLAIN (ANALYZE, BUFFERS) :q ;
EXPLAIN (ANALYZE, BUFFERS) :q ;
EXPLAIN (ANALYZE, BUFFERS) :q ;
ROLLBACK;
