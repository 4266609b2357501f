export { makeRetentionJob, type RetentionJob, type RetentionJobOptions } from './retentionJob.js';
