"""Posts, replies, stars and reports: the domain operations every dialect calls."""
