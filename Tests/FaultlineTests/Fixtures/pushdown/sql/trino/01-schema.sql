DESCRIBE small;
